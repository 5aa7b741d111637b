DROP TABLE trusted_devices;
DROP TABLE form_submissions;
