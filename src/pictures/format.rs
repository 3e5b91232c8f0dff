//! The four accepted formats, recognised by their magic bytes.

/// An accepted image format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    Jpeg,
    Png,
    WebP,
    Gif,
}

impl Format {
    pub const ALL: [Format; 4] = [Format::Jpeg, Format::Png, Format::WebP, Format::Gif];

    /// The media type to serve it with, e.g. `image/jpeg`.
    pub fn mime(self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::WebP => "image/webp",
            Format::Gif => "image/gif",
        }
    }

    /// The file name extension to store it under, without the dot: `jpg`, `png`, `webp`, `gif`.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::WebP => "webp",
            Format::Gif => "gif",
        }
    }

    /// The format a stored file's extension names (the inverse of [`Format::extension`]).
    pub fn from_extension(extension: &str) -> Option<Self> {
        [Format::Jpeg, Format::Png, Format::WebP, Format::Gif]
            .into_iter()
            .find(|format| format.extension() == extension)
    }

    pub(super) fn image_format(self) -> image::ImageFormat {
        match self {
            Format::Jpeg => image::ImageFormat::Jpeg,
            Format::Png => image::ImageFormat::Png,
            Format::WebP => image::ImageFormat::WebP,
            Format::Gif => image::ImageFormat::Gif,
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Format::Jpeg => "JPEG",
            Format::Png => "PNG",
            Format::WebP => "WebP",
            Format::Gif => "GIF",
        })
    }
}

/// The format the bytes are in, judged by their first bytes only: never by a file name or
/// the type a client claims. `None` for anything else, including an incomplete signature.
pub fn sniff(bytes: &[u8]) -> Option<Format> {
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n";
    // SOI followed by the first marker's 0xFF: a lone `FF D8` is not enough to be a JPEG.
    const JPEG: &[u8] = b"\xFF\xD8\xFF";
    if bytes.starts_with(PNG) {
        Some(Format::Png)
    } else if bytes.starts_with(JPEG) {
        Some(Format::Jpeg)
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some(Format::Gif)
    } else if bytes.len() >= 16
        && &bytes[0..4] == b"RIFF"
        && &bytes[8..12] == b"WEBP"
        && matches!(&bytes[12..16], b"VP8 " | b"VP8L" | b"VP8X")
    {
        Some(Format::WebP)
    } else {
        None
    }
}

/// Other image formats a client might send, by their magic bytes: named in the refusal so the
/// message says more than "not an image".
pub(super) fn sniff_other(bytes: &[u8]) -> Option<&'static str> {
    let at = |offset: usize, magic: &[u8]| bytes.get(offset..offset + magic.len()) == Some(magic);
    if at(4, b"ftyp") {
        // ISO base media: HEIC/HEIF from phones, AVIF.
        match bytes.get(8..12) {
            Some(b"avif" | b"avis") => Some("AVIF"),
            Some(b"heic" | b"heix" | b"hevc" | b"heim" | b"heis" | b"mif1" | b"msf1") => {
                Some("HEIC/HEIF")
            }
            _ => None,
        }
    } else if at(0, b"II*\0") || at(0, b"MM\0*") {
        Some("TIFF")
    } else if at(0, b"BM") && at(6, b"\0\0\0\0") {
        Some("BMP")
    } else if at(0, b"\0\0\x01\0") {
        Some("ICO")
    } else if at(0, b"\xFF\x0A") || at(0, b"\0\0\0\x0CJXL ") {
        Some("JPEG XL")
    } else {
        None
    }
}

/// Whether a WebP's (first) image is lossless (VP8L) rather than lossy (VP8): the full-size
/// copy is then re-encoded losslessly too.
pub(super) fn webp_is_lossless(bytes: &[u8]) -> bool {
    // RIFF chunks: a FourCC, a little-endian size, the data padded to an even length. An
    // animation's first frame (ANMF) holds its own chunks after a 16-byte frame header.
    let mut offset = 12;
    while let Some(header) = bytes.get(offset..offset + 8) {
        let size = u32::from_le_bytes([header[4], header[5], header[6], header[7]]) as usize;
        match &header[0..4] {
            b"VP8L" => return true,
            b"VP8 " => return false,
            b"ANMF" => offset += 8 + 16,
            _ => offset = offset.saturating_add(8).saturating_add(size + (size & 1)),
        }
    }
    false
}
