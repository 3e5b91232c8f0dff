-- Uploaded files: where their copies live and what a frontend needs to lay them out.
-- A record of a file kept elsewhere (only a URL) leaves these empty.
-- storage_key: the folder of the file's copies in the media store, named by a hash of the
-- uploaded bytes (a new file, a new folder, so every URL of it changes).
ALTER TABLE media ADD COLUMN storage_key TEXT;
ALTER TABLE media ADD COLUMN byte_size BIGINT;
ALTER TABLE media ADD COLUMN credit TEXT;
-- The point to keep when cropping, from the left and from the top, in ten-thousandths
-- (0..10000) of the width and height: integers, the same on both backends.
ALTER TABLE media ADD COLUMN focal_x INTEGER;
ALTER TABLE media ADD COLUMN focal_y INTEGER;
-- A BlurHash of the picture, shown while it loads.
ALTER TABLE media ADD COLUMN placeholder TEXT;
-- The sized copies, JSON: [{"url": "/media/…/w640.webp", "width": 640, "height": 427, "mime_type": "image/webp"}].
ALTER TABLE media ADD COLUMN renditions TEXT NOT NULL DEFAULT '[]';
