-- A logo media record becomes its URL again.
UPDATE site_settings
SET logo_url = (SELECT media.url FROM media WHERE media.id = site_settings.logo_media_id)
WHERE logo_media_id IS NOT NULL;
ALTER TABLE site_settings DROP COLUMN logo_media_id;
