DROP TABLE paypal_webhook_events;
DROP TABLE paypal_refunds;
DROP TABLE paypal_captures;
DROP TABLE paypal_orders;
