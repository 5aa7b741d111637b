DROP INDEX bank_transactions_payout_idx;
DROP TABLE payouts;
DROP TABLE payout_exports;
