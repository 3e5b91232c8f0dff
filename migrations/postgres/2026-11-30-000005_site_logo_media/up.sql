-- The site logo as a media record, so `/site` serves it with its renditions, placeholder
-- and size. `logo_url` stays for a logo kept elsewhere; the writes keep at most one of
-- the two set. No `ON DELETE` action: the API refuses to delete a media record the site
-- shows (409), and the database refuses it too, whatever path a delete takes.
ALTER TABLE site_settings ADD COLUMN logo_media_id BIGINT REFERENCES media (id);
