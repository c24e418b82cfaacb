-- ADR 0045: an order's status is its payment state only. Orders that were 'shipped' or
-- 'delivered' were paid and not refunded; where the parcel is now lives in fulfilment_status and
-- shipments (migration 0007 made each of them one shipment of every line).
UPDATE `orders` SET `fulfilment_status` = CASE WHEN `status` = 'delivered' THEN 'delivered' ELSE 'shipped' END
  WHERE `status` IN ('shipped', 'delivered') AND `fulfilment_status` = 'unfulfilled';--> statement-breakpoint
UPDATE `orders` SET `status` = 'paid' WHERE `status` IN ('shipped', 'delivered');
