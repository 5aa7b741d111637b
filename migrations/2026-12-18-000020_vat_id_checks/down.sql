DROP FUNCTION vat_id_confirmed(BIGINT, TEXT);
DROP TABLE vat_id_checks;
