CREATE TABLE `board_items` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`board_id` integer NOT NULL,
	`product_id` integer NOT NULL,
	`position` integer NOT NULL,
	`added_at` integer NOT NULL,
	FOREIGN KEY (`board_id`) REFERENCES `boards`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `board_items_board_product_uq` ON `board_items` (`board_id`,`product_id`);--> statement-breakpoint
CREATE INDEX `board_items_board_idx` ON `board_items` (`board_id`,`position`);--> statement-breakpoint
CREATE TABLE `boards` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`creator_id` integer NOT NULL,
	`name` text NOT NULL,
	`slug` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`creator_id`) REFERENCES `creators`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `boards_creator_slug_uq` ON `boards` (`creator_id`,`slug`);--> statement-breakpoint
CREATE TABLE `saved_items` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer,
	`guest_list_id` text,
	`product_id` integer NOT NULL,
	`variant_id` integer,
	`source_post` text,
	`source_card` integer,
	`source_board_id` integer,
	`source_creator_id` integer,
	`price_seen_cents` integer NOT NULL,
	`saved_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`guest_list_id`) REFERENCES `saved_lists`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`variant_id`) REFERENCES `variants`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "saved_items_one_owner" CHECK(("saved_items"."user_id" is null) <> ("saved_items"."guest_list_id" is null))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `saved_items_user_product_uq` ON `saved_items` (`user_id`,`product_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `saved_items_guest_product_uq` ON `saved_items` (`guest_list_id`,`product_id`);--> statement-breakpoint
CREATE TABLE `saved_lists` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `stock_alerts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`product_id` integer NOT NULL,
	`variant_id` integer,
	`variant_key` integer DEFAULT 0 NOT NULL,
	`email` text NOT NULL,
	`user_id` integer,
	`price_seen_cents` integer NOT NULL,
	`source_post` text,
	`source_card` integer,
	`source_board_id` integer,
	`source_creator_id` integer,
	`token_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`sent_at` integer,
	`sent_price_cents` integer,
	`outbox_email_id` integer,
	`unsubscribed_at` integer,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`variant_id`) REFERENCES `variants`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `stock_alerts_token_hash_unique` ON `stock_alerts` (`token_hash`);--> statement-breakpoint
CREATE UNIQUE INDEX `stock_alerts_open_uq` ON `stock_alerts` (`kind`,`product_id`,`variant_key`,`email`) WHERE "stock_alerts"."sent_at" is null and "stock_alerts"."unsubscribed_at" is null;--> statement-breakpoint
CREATE INDEX `stock_alerts_due_idx` ON `stock_alerts` (`product_id`,`sent_at`,`unsubscribed_at`);--> statement-breakpoint
ALTER TABLE `cart_lines` ADD `source_board_id` integer;--> statement-breakpoint
ALTER TABLE `cart_lines` ADD `source_saved_at` integer;--> statement-breakpoint
ALTER TABLE `order_lines` ADD `source_board_id` integer;--> statement-breakpoint
ALTER TABLE `order_lines` ADD `source_saved_at` integer;