CREATE TABLE `card_daily` (
	`creator_id` integer NOT NULL,
	`post` text NOT NULL,
	`card` integer NOT NULL,
	`day` integer NOT NULL,
	`views` integer DEFAULT 0 NOT NULL,
	`clicks` integer DEFAULT 0 NOT NULL,
	`adds` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`creator_id`, `post`, `card`, `day`)
);
--> statement-breakpoint
CREATE INDEX `card_daily_creator_day_idx` ON `card_daily` (`creator_id`,`day`);--> statement-breakpoint
CREATE TABLE `category_commission_rates` (
	`category_id` integer PRIMARY KEY NOT NULL,
	`rate_bps` integer NOT NULL,
	FOREIGN KEY (`category_id`) REFERENCES `categories`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `click_daily` (
	`creator_id` integer NOT NULL,
	`day` integer NOT NULL,
	`post` text DEFAULT '' NOT NULL,
	`clicks` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`creator_id`, `day`, `post`)
);
--> statement-breakpoint
CREATE TABLE `clicks` (
	`id` text PRIMARY KEY NOT NULL,
	`creator_id` integer NOT NULL,
	`post` text,
	`target` text NOT NULL,
	`visitor_hash` text NOT NULL,
	`ua_class` text NOT NULL,
	`referrer_host` text,
	`counted` integer NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`creator_id`) REFERENCES `creators`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `clicks_creator_at_idx` ON `clicks` (`creator_id`,`at`);--> statement-breakpoint
CREATE INDEX `clicks_visitor_idx` ON `clicks` (`visitor_hash`,`creator_id`,`at`);--> statement-breakpoint
CREATE TABLE `commission_entries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`creator_id` integer NOT NULL,
	`kind` text NOT NULL,
	`amount_cents` integer NOT NULL,
	`base_cents` integer NOT NULL,
	`rate_bps` integer NOT NULL,
	`order_id` integer NOT NULL,
	`order_line_id` integer,
	`source_entry_id` integer,
	`available_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`note` text NOT NULL,
	FOREIGN KEY (`creator_id`) REFERENCES `creators`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`order_line_id`) REFERENCES `order_lines`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "commission_entries_sign" CHECK((kind in ('sale','override') and amount_cents >= 0) or (kind in ('reversal','override_reversal') and amount_cents <= 0))
);
--> statement-breakpoint
CREATE INDEX `commission_entries_creator_idx` ON `commission_entries` (`creator_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `commission_entries_available_idx` ON `commission_entries` (`creator_id`,`available_at`);--> statement-breakpoint
CREATE INDEX `commission_entries_source_idx` ON `commission_entries` (`source_entry_id`);--> statement-breakpoint
CREATE INDEX `commission_entries_line_idx` ON `commission_entries` (`order_line_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `commission_entries_one_sale_per_line` ON `commission_entries` (`order_line_id`) WHERE kind = 'sale';--> statement-breakpoint
CREATE UNIQUE INDEX `commission_entries_one_override_per_sale` ON `commission_entries` (`source_entry_id`) WHERE kind = 'override';--> statement-breakpoint
CREATE TABLE `creator_invites` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`email` text NOT NULL,
	`handle` text NOT NULL,
	`display_name` text NOT NULL,
	`token_hash` text NOT NULL,
	`inviter_creator_id` integer,
	`invited_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`accepted_at` integer,
	`creator_id` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `creator_invites_token_hash_unique` ON `creator_invites` (`token_hash`);--> statement-breakpoint
CREATE INDEX `creator_invites_email_idx` ON `creator_invites` (`email`);--> statement-breakpoint
CREATE INDEX `creator_invites_inviter_idx` ON `creator_invites` (`inviter_creator_id`);--> statement-breakpoint
CREATE TABLE `payout_batches` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`created_at` integer NOT NULL,
	`created_by` text NOT NULL,
	`threshold_cents` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `payout_items` (
	`payout_id` integer NOT NULL,
	`entry_id` integer NOT NULL,
	FOREIGN KEY (`payout_id`) REFERENCES `payouts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`entry_id`) REFERENCES `commission_entries`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `payout_items_entry_id_unique` ON `payout_items` (`entry_id`);--> statement-breakpoint
CREATE INDEX `payout_items_payout_idx` ON `payout_items` (`payout_id`);--> statement-breakpoint
CREATE TABLE `payouts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`batch_id` integer NOT NULL,
	`creator_id` integer NOT NULL,
	`amount_cents` integer NOT NULL,
	`status` text NOT NULL,
	`reference` text,
	`created_at` integer NOT NULL,
	`paid_at` integer,
	FOREIGN KEY (`batch_id`) REFERENCES `payout_batches`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`creator_id`) REFERENCES `creators`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `payouts_creator_idx` ON `payouts` (`creator_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `payouts_batch_idx` ON `payouts` (`batch_id`);--> statement-breakpoint
ALTER TABLE `creators` ADD `referral_code` text;--> statement-breakpoint
ALTER TABLE `creators` ADD `commission_rate_bps` integer;--> statement-breakpoint
ALTER TABLE `creators` ADD `invited_by_creator_id` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `creators_referral_code_unique` ON `creators` (`referral_code`);--> statement-breakpoint
CREATE INDEX `creators_invited_by_idx` ON `creators` (`invited_by_creator_id`);--> statement-breakpoint
ALTER TABLE `cart_lines` ADD `source_creator_id` integer;--> statement-breakpoint
ALTER TABLE `coupons` ADD `creator_id` integer;--> statement-breakpoint
ALTER TABLE `order_lines` ADD `source_creator_id` integer;--> statement-breakpoint
ALTER TABLE `order_lines` ADD `credited_creator_id` integer;--> statement-breakpoint
ALTER TABLE `order_lines` ADD `attribution_source` text;--> statement-breakpoint
ALTER TABLE `order_lines` ADD `attribution_ref` text;--> statement-breakpoint
ALTER TABLE `order_lines` ADD `attribution_reason` text;--> statement-breakpoint
ALTER TABLE `order_lines` ADD `paid_at` integer;--> statement-breakpoint
CREATE INDEX `order_lines_credit_idx` ON `order_lines` (`credited_creator_id`,`paid_at`);--> statement-breakpoint
CREATE INDEX `order_lines_source_creator_idx` ON `order_lines` (`source_creator_id`,`paid_at`);--> statement-breakpoint
ALTER TABLE `orders` ADD `ref_click_id` text;--> statement-breakpoint
ALTER TABLE `orders` ADD `ref_creator_id` integer;--> statement-breakpoint
ALTER TABLE `orders` ADD `ref_clicked_at` integer;--> statement-breakpoint
ALTER TABLE `orders` ADD `code_creator_id` integer;