ALTER TABLE `orders` ADD `superseded_by_order_id` integer;--> statement-breakpoint
ALTER TABLE `orders` ADD `buyer_user_id` integer;--> statement-breakpoint
-- Coupon redemptions count by the canonical email (docs/decisions/0012-canonical-email.md):
-- lower-case, no +tag, Gmail without dots and as gmail.com.
UPDATE `coupon_redemptions` SET `email` = lower(trim(`email`));--> statement-breakpoint
UPDATE `coupon_redemptions` SET `email` = substr(`email`, 1, instr(`email`, '+') - 1) || substr(`email`, instr(`email`, '@')) WHERE instr(`email`, '+') > 1 AND instr(`email`, '+') < instr(`email`, '@');--> statement-breakpoint
UPDATE `coupon_redemptions` SET `email` = replace(substr(`email`, 1, instr(`email`, '@') - 1), '.', '') || '@gmail.com' WHERE `email` LIKE '%@gmail.com' OR `email` LIKE '%@googlemail.com';
