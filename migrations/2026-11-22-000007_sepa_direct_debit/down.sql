DROP TABLE direct_debit_collections;
DROP TABLE direct_debit_exports;
DROP TABLE sepa_mandates;
