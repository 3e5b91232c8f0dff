ALTER TABLE media DROP COLUMN renditions;
ALTER TABLE media DROP COLUMN placeholder;
ALTER TABLE media DROP COLUMN focal_y;
ALTER TABLE media DROP COLUMN focal_x;
ALTER TABLE media DROP COLUMN credit;
ALTER TABLE media DROP COLUMN byte_size;
ALTER TABLE media DROP COLUMN storage_key;
