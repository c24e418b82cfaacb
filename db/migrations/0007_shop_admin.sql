CREATE TABLE `product_images` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`product_id` integer NOT NULL,
	`media_id` text NOT NULL,
	`alt` text NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `product_images_product_idx` ON `product_images` (`product_id`,`position`);--> statement-breakpoint
CREATE TABLE `product_slugs` (
	`slug` text PRIMARY KEY NOT NULL,
	`product_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `product_slugs_product_idx` ON `product_slugs` (`product_id`);--> statement-breakpoint
CREATE TABLE `order_notes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`order_id` integer NOT NULL,
	`body` text NOT NULL,
	`actor` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `order_notes_order_idx` ON `order_notes` (`order_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `shipment_lines` (
	`shipment_id` integer NOT NULL,
	`order_line_id` integer NOT NULL,
	`qty` integer NOT NULL,
	PRIMARY KEY(`shipment_id`, `order_line_id`),
	FOREIGN KEY (`shipment_id`) REFERENCES `shipments`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`order_line_id`) REFERENCES `order_lines`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "shipment_lines_qty" CHECK("shipment_lines"."qty" > 0)
);
--> statement-breakpoint
CREATE INDEX `shipment_lines_line_idx` ON `shipment_lines` (`order_line_id`);--> statement-breakpoint
CREATE TABLE `shipments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`order_id` integer NOT NULL,
	`carrier` text NOT NULL,
	`tracking_number` text NOT NULL,
	`shipped_at` integer NOT NULL,
	`delivered_at` integer,
	`returned_at` integer,
	`actor` text NOT NULL,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `shipments_order_idx` ON `shipments` (`order_id`);--> statement-breakpoint
ALTER TABLE `products` ADD `updated_at` integer;--> statement-breakpoint
ALTER TABLE `products` ADD `archived_at` integer;--> statement-breakpoint
ALTER TABLE `products` ADD `seo_title` text;--> statement-breakpoint
ALTER TABLE `products` ADD `seo_description` text;--> statement-breakpoint
ALTER TABLE `products` ADD `tags_json` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `orders` ADD `fulfilment_status` text DEFAULT 'unfulfilled' NOT NULL;--> statement-breakpoint
CREATE INDEX `orders_fulfilment_idx` ON `orders` (`fulfilment_status`,`paid_at`);--> statement-breakpoint
-- Orders shipped before parcels were recorded: one parcel with every line, its carrier and tracking
-- number, and the fulfilment state that the order's status implied.
INSERT INTO `shipments` (`order_id`, `carrier`, `tracking_number`, `shipped_at`, `delivered_at`, `actor`)
  SELECT `id`, `carrier`, `tracking_number`, `updated_at`, CASE WHEN `status` = 'delivered' THEN `updated_at` END, 'migration'
  FROM `orders` WHERE `carrier` IS NOT NULL AND `tracking_number` IS NOT NULL;--> statement-breakpoint
INSERT INTO `shipment_lines` (`shipment_id`, `order_line_id`, `qty`)
  SELECT `s`.`id`, `l`.`id`, `l`.`qty` FROM `shipments` `s` JOIN `order_lines` `l` ON `l`.`order_id` = `s`.`order_id` WHERE `l`.`qty` > 0;--> statement-breakpoint
UPDATE `orders` SET `fulfilment_status` = CASE WHEN `status` = 'delivered' THEN 'delivered' ELSE 'shipped' END
  WHERE `carrier` IS NOT NULL AND `tracking_number` IS NOT NULL;
