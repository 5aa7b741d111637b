ALTER TABLE mail_outbox DROP COLUMN list_unsubscribe;
DROP TABLE status_unsubscribe_links;
DROP TABLE status_subscribers;
DROP TABLE status_subscription_requests;
