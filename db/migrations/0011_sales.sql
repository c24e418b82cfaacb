CREATE TABLE `flash_sale_takes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`schedule_id` integer NOT NULL,
	`order_id` integer NOT NULL,
	`order_line_id` integer NOT NULL,
	`email` text NOT NULL,
	`user_id` integer,
	`qty` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`schedule_id`) REFERENCES `price_schedules`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`order_line_id`) REFERENCES `order_lines`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "flash_sale_takes_qty" CHECK("flash_sale_takes"."qty" >= 1)
);
--> statement-breakpoint
CREATE INDEX `flash_sale_takes_schedule_idx` ON `flash_sale_takes` (`schedule_id`);--> statement-breakpoint
CREATE INDEX `flash_sale_takes_email_idx` ON `flash_sale_takes` (`schedule_id`,`email`);--> statement-breakpoint
CREATE INDEX `flash_sale_takes_order_idx` ON `flash_sale_takes` (`order_id`);--> statement-breakpoint
CREATE TABLE `presale_takes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`presale_id` integer NOT NULL,
	`order_id` integer NOT NULL,
	`order_line_id` integer NOT NULL,
	`qty` integer NOT NULL,
	`ships_on` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`presale_id`) REFERENCES `presales`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`order_line_id`) REFERENCES `order_lines`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `presale_takes_presale_idx` ON `presale_takes` (`presale_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `presale_takes_line_idx` ON `presale_takes` (`order_line_id`);--> statement-breakpoint
CREATE TABLE `presales` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`product_id` integer NOT NULL,
	`ships_on` text NOT NULL,
	`cap_units` integer NOT NULL,
	`opens_at` integer,
	`closes_at` integer,
	`created_at` integer NOT NULL,
	`canceled_at` integer,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "presales_cap" CHECK("presales"."cap_units" >= 1)
);
--> statement-breakpoint
CREATE INDEX `presales_product_idx` ON `presales` (`product_id`);--> statement-breakpoint
CREATE TABLE `price_schedules` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`product_id` integer NOT NULL,
	`variant_id` integer,
	`kind` text NOT NULL,
	`price_cents` integer NOT NULL,
	`starts_at` integer NOT NULL,
	`ends_at` integer NOT NULL,
	`units_allotted` integer,
	`per_buyer_limit` integer,
	`created_at` integer NOT NULL,
	`canceled_at` integer,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`variant_id`) REFERENCES `variants`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "price_schedules_price" CHECK("price_schedules"."price_cents" >= 1),
	CONSTRAINT "price_schedules_window" CHECK("price_schedules"."ends_at" > "price_schedules"."starts_at"),
	CONSTRAINT "price_schedules_flash_terms" CHECK(("price_schedules"."kind" = 'flash' and "price_schedules"."units_allotted" >= 1 and "price_schedules"."per_buyer_limit" >= 1) or ("price_schedules"."kind" = 'markdown' and "price_schedules"."units_allotted" is null and "price_schedules"."per_buyer_limit" is null))
);
--> statement-breakpoint
CREATE INDEX `price_schedules_product_idx` ON `price_schedules` (`product_id`);