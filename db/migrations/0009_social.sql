CREATE TABLE `login_links` (
	`id` text PRIMARY KEY NOT NULL,
	`secret_hash` blob NOT NULL,
	`email` text NOT NULL,
	`return_to` text,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer
);
--> statement-breakpoint
CREATE INDEX `login_links_email_idx` ON `login_links` (`email`,`created_at`);--> statement-breakpoint
CREATE TABLE `reader_addresses` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`name` text NOT NULL,
	`line1` text NOT NULL,
	`line2` text,
	`city` text NOT NULL,
	`region` text,
	`postcode` text NOT NULL,
	`country` text NOT NULL,
	`is_default` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `reader_addresses_user_idx` ON `reader_addresses` (`user_id`);--> statement-breakpoint
CREATE TABLE `cut_helps` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`launch_id` text NOT NULL,
	`helper_user_id` integer NOT NULL,
	`cut_index` integer NOT NULL,
	`amount_cents` integer NOT NULL,
	`new_helper` integer NOT NULL,
	`shop_day` text NOT NULL,
	`ip_hash` text,
	`device_hash` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`launch_id`) REFERENCES `cut_launches`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`helper_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `cut_helps_helper_uq` ON `cut_helps` (`launch_id`,`helper_user_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `cut_helps_index_uq` ON `cut_helps` (`launch_id`,`cut_index`);--> statement-breakpoint
CREATE INDEX `cut_helps_day_idx` ON `cut_helps` (`helper_user_id`,`shop_day`);--> statement-breakpoint
CREATE INDEX `cut_helps_ip_idx` ON `cut_helps` (`ip_hash`,`created_at`);--> statement-breakpoint
CREATE INDEX `cut_helps_device_idx` ON `cut_helps` (`device_hash`,`created_at`);--> statement-breakpoint
CREATE TABLE `cut_launches` (
	`id` text PRIMARY KEY NOT NULL,
	`offer_id` integer NOT NULL,
	`product_id` integer NOT NULL,
	`variant_id` integer NOT NULL,
	`launcher_user_id` integer NOT NULL,
	`currency` text NOT NULL,
	`start_price_cents` integer NOT NULL,
	`floor_price_cents` integer NOT NULL,
	`schedule_json` text NOT NULL,
	`helps_needed` integer NOT NULL,
	`cut_cents` integer DEFAULT 0 NOT NULL,
	`helps_count` integer DEFAULT 0 NOT NULL,
	`on_timeout` text NOT NULL,
	`source_post` text,
	`source_card` integer,
	`source_creator_id` integer,
	`started_at` integer NOT NULL,
	`ends_at` integer NOT NULL,
	`buy_by` integer NOT NULL,
	`order_id` integer,
	`status` text DEFAULT 'open' NOT NULL,
	FOREIGN KEY (`offer_id`) REFERENCES `cut_offers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`variant_id`) REFERENCES `variants`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`launcher_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "cut_launches_floor" CHECK("cut_launches"."start_price_cents" - "cut_launches"."cut_cents" >= "cut_launches"."floor_price_cents"),
	CONSTRAINT "cut_launches_helps" CHECK("cut_launches"."helps_count" <= "cut_launches"."helps_needed")
);
--> statement-breakpoint
CREATE INDEX `cut_launches_offer_idx` ON `cut_launches` (`offer_id`,`status`);--> statement-breakpoint
CREATE INDEX `cut_launches_launcher_idx` ON `cut_launches` (`launcher_user_id`);--> statement-breakpoint
CREATE INDEX `cut_launches_post_idx` ON `cut_launches` (`source_post`);--> statement-breakpoint
CREATE TABLE `cut_offers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`product_id` integer NOT NULL,
	`variant_id` integer,
	`start_price_cents` integer NOT NULL,
	`floor_price_cents` integer NOT NULL,
	`helps_needed` integer NOT NULL,
	`duration_minutes` integer NOT NULL,
	`set_aside_units` integer NOT NULL,
	`per_reader_launches` integer DEFAULT 1 NOT NULL,
	`on_timeout` text DEFAULT 'buy_at_reached' NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`variant_id`) REFERENCES `variants`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "cut_offers_prices" CHECK("cut_offers"."floor_price_cents" >= 0 and "cut_offers"."start_price_cents" > "cut_offers"."floor_price_cents"),
	CONSTRAINT "cut_offers_helps" CHECK("cut_offers"."helps_needed" between 1 and 100),
	CONSTRAINT "cut_offers_units" CHECK("cut_offers"."set_aside_units" >= 1)
);
--> statement-breakpoint
CREATE INDEX `cut_offers_product_idx` ON `cut_offers` (`product_id`);--> statement-breakpoint
CREATE TABLE `group_buys` (
	`id` text PRIMARY KEY NOT NULL,
	`offer_id` integer NOT NULL,
	`product_id` integer NOT NULL,
	`group_size` integer NOT NULL,
	`price_cents` integer NOT NULL,
	`currency` text NOT NULL,
	`source_post` text,
	`source_card` integer,
	`source_creator_id` integer,
	`started_at` integer NOT NULL,
	`ends_at` integer NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`filled_at` integer,
	`settled_at` integer,
	FOREIGN KEY (`offer_id`) REFERENCES `group_offers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `group_buys_offer_idx` ON `group_buys` (`offer_id`,`status`,`ends_at`);--> statement-breakpoint
CREATE INDEX `group_buys_post_idx` ON `group_buys` (`source_post`);--> statement-breakpoint
CREATE INDEX `group_buys_open_idx` ON `group_buys` (`status`,`ends_at`);--> statement-breakpoint
CREATE TABLE `group_members` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`group_id` text NOT NULL,
	`order_id` integer NOT NULL,
	`variant_id` integer NOT NULL,
	`canonical_email` text NOT NULL,
	`user_id` integer,
	`initials` text NOT NULL,
	`is_starter` integer DEFAULT false NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`hold_until` integer NOT NULL,
	`payment_id` text,
	`joined_at` integer NOT NULL,
	`authorised_at` integer,
	`captured_at` integer,
	`ended_at` integer,
	`end_note` text,
	FOREIGN KEY (`group_id`) REFERENCES `group_buys`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`variant_id`) REFERENCES `variants`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `group_members_group_idx` ON `group_members` (`group_id`,`status`);--> statement-breakpoint
CREATE UNIQUE INDEX `group_members_order_uq` ON `group_members` (`order_id`);--> statement-breakpoint
CREATE INDEX `group_members_email_idx` ON `group_members` (`canonical_email`);--> statement-breakpoint
CREATE INDEX `group_members_user_idx` ON `group_members` (`user_id`);--> statement-breakpoint
CREATE TABLE `group_offers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`product_id` integer NOT NULL,
	`variant_id` integer,
	`group_size` integer NOT NULL,
	`price_cents` integer NOT NULL,
	`duration_minutes` integer NOT NULL,
	`per_buyer_limit` integer DEFAULT 1 NOT NULL,
	`max_units` integer,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`variant_id`) REFERENCES `variants`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "group_offers_size" CHECK("group_offers"."group_size" between 2 and 10),
	CONSTRAINT "group_offers_price" CHECK("group_offers"."price_cents" > 0),
	CONSTRAINT "group_offers_duration" CHECK("group_offers"."duration_minutes" between 15 and 8640)
);
--> statement-breakpoint
CREATE INDEX `group_offers_product_idx` ON `group_offers` (`product_id`);--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_stock_reservations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`order_id` integer,
	`hold_for` text,
	`variant_id` integer NOT NULL,
	`qty` integer NOT NULL,
	`status` text NOT NULL,
	`expires_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`variant_id`) REFERENCES `variants`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "stock_reservations_qty" CHECK("qty" > 0)
);
--> statement-breakpoint
INSERT INTO `__new_stock_reservations`("id", "order_id", "variant_id", "qty", "status", "expires_at", "created_at") SELECT "id", "order_id", "variant_id", "qty", "status", "expires_at", "created_at" FROM `stock_reservations`;--> statement-breakpoint
DROP TABLE `stock_reservations`;--> statement-breakpoint
ALTER TABLE `__new_stock_reservations` RENAME TO `stock_reservations`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `stock_reservations_live_idx` ON `stock_reservations` (`variant_id`,`status`,`expires_at`);--> statement-breakpoint
CREATE INDEX `stock_reservations_order_idx` ON `stock_reservations` (`order_id`);--> statement-breakpoint
CREATE INDEX `stock_reservations_hold_idx` ON `stock_reservations` (`hold_for`);--> statement-breakpoint
ALTER TABLE `users` ADD `email_verified_at` integer;--> statement-breakpoint
ALTER TABLE `users` ADD `display_name` text;--> statement-breakpoint
ALTER TABLE `order_lines` ADD `channel` text;