CREATE TABLE `media` (
	`id` text PRIMARY KEY NOT NULL,
	`owner_creator_id` integer,
	`uploaded_by_user_id` integer,
	`source_format` text NOT NULL,
	`width` integer NOT NULL,
	`height` integer NOT NULL,
	`widths_json` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`owner_creator_id`) REFERENCES `creators`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`uploaded_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `media_owner_idx` ON `media` (`owner_creator_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `media_files` (
	`media_id` text NOT NULL,
	`width` integer NOT NULL,
	`format` text NOT NULL,
	`height` integer NOT NULL,
	`bytes` blob NOT NULL,
	PRIMARY KEY(`media_id`, `width`, `format`),
	FOREIGN KEY (`media_id`) REFERENCES `media`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `post_revisions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`post_id` integer NOT NULL,
	`number` integer NOT NULL,
	`slug` text NOT NULL,
	`title` text NOT NULL,
	`summary` text NOT NULL,
	`kind` text NOT NULL,
	`tags_json` text NOT NULL,
	`hero_media_id` text,
	`hero_alt` text NOT NULL,
	`body` text NOT NULL,
	`doc_json` text NOT NULL,
	`refs_json` text NOT NULL,
	`created_at` integer NOT NULL,
	`created_by_user_id` integer,
	`publish_at` integer NOT NULL,
	FOREIGN KEY (`post_id`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `post_revisions_post_idx` ON `post_revisions` (`post_id`,`number`);--> statement-breakpoint
CREATE TABLE `post_slugs` (
	`slug` text PRIMARY KEY NOT NULL,
	`post_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`post_id`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `post_slugs_post_idx` ON `post_slugs` (`post_id`);--> statement-breakpoint
CREATE TABLE `posts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`slug` text NOT NULL,
	`creator_id` integer NOT NULL,
	`title` text DEFAULT '' NOT NULL,
	`summary` text DEFAULT '' NOT NULL,
	`kind` text DEFAULT 'look' NOT NULL,
	`tags_json` text DEFAULT '[]' NOT NULL,
	`hero_media_id` text,
	`hero_alt` text DEFAULT '' NOT NULL,
	`body` text DEFAULT '' NOT NULL,
	`next_card` integer DEFAULT 0 NOT NULL,
	`draft_version` integer DEFAULT 1 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`live_revision_id` integer,
	`first_published_at` integer,
	`unpublished_at` integer,
	`scheduled_revision_id` integer,
	`scheduled_for` integer,
	FOREIGN KEY (`creator_id`) REFERENCES `creators`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "posts_next_card_check" CHECK("posts"."next_card" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `posts_slug_unique` ON `posts` (`slug`);--> statement-breakpoint
CREATE INDEX `posts_creator_idx` ON `posts` (`creator_id`,`updated_at`);--> statement-breakpoint
CREATE INDEX `posts_scheduled_idx` ON `posts` (`scheduled_for`);--> statement-breakpoint
ALTER TABLE `creators` ADD `bio` text;--> statement-breakpoint
ALTER TABLE `creators` ADD `location` text;--> statement-breakpoint
ALTER TABLE `creators` ADD `avatar_media_id` text;--> statement-breakpoint
ALTER TABLE `creators` ADD `links_json` text;--> statement-breakpoint
ALTER TABLE `creators` ADD `profile_updated_at` integer;