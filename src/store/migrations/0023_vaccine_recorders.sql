-- Module: vaccine. Which organisation recorded each dose (the API caller that imported it;
-- NULL for doses the operator imported at the command line). The sharing rules of vaccine.read
-- ask it: a vaccination site reads the records of the persons it vaccinated (docs/vaccination.md,
-- "Who may read a record").

ALTER TABLE hb_vaccine_doses ADD COLUMN recorded_by TEXT REFERENCES hb_orgs (code);
