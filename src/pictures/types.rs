//! The library's values: its settings, what it finds and makes, and why it refuses.

use super::format::Format;

/// How uploads are checked and which renditions are made.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// Rendition widths in pixels; those not below the image's width are skipped. Zero is
    /// ignored, order and repeats do not matter.
    pub widths: Vec<u32>,
    /// The most pixels (width × height) an upload may have: checked from the header, before
    /// decoding.
    pub max_pixels: u64,
    /// The most pixels all frames of an animated GIF may have together (decoding time).
    pub max_animation_pixels: u64,
    /// JPEG quality, 1–100, for `full` and the renditions.
    pub jpeg_quality: u8,
    /// Lossy WebP quality, 0–100.
    pub webp_quality: f32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            widths: vec![320, 640, 960, 1280, 1920],
            max_pixels: 50_000_000,
            max_animation_pixels: 250_000_000,
            jpeg_quality: 82,
            webp_quality: 80.0,
        }
    }
}

/// An upload's format and size as its header states them, before orientation is applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Probe {
    pub format: Format,
    pub width: u32,
    pub height: u32,
}

/// One encoded image, ready to store and serve.
#[derive(Clone, PartialEq, Eq)]
pub struct Encoded {
    pub format: Format,
    pub width: u32,
    pub height: u32,
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for Encoded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Encoded")
            .field("format", &self.format)
            .field("width", &self.width)
            .field("height", &self.height)
            .field("bytes", &self.bytes.len())
            .finish()
    }
}

/// What an upload becomes: see the module documentation for each part.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Processed {
    /// The upload's format.
    pub format: Format,
    /// The size after the EXIF orientation is applied (width and height swap for a photo
    /// taken in portrait).
    pub width: u32,
    pub height: u32,
    /// Full size, original format, upright, no metadata.
    pub full: Encoded,
    /// Narrowest first; for each width one WebP, then one in the original's format.
    pub renditions: Vec<Encoded>,
    /// A BlurHash of the image.
    pub placeholder: String,
}

/// Why an upload is refused. The messages are written for the person who uploaded it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PictureError {
    #[error("the file is not a JPEG, PNG, WebP or GIF image")]
    NotAnImage,
    /// A format or a variant of one that is not accepted (HEIC, a 12-bit JPEG, …).
    #[error("this kind of image is not accepted: {0}")]
    UnsupportedFormat(String),
    #[error("the image is {width}×{height} pixels; at most {max} pixels are accepted")]
    TooManyPixels { width: u32, height: u32, max: u64 },
    #[error("the image data is damaged or incomplete ({0})")]
    Corrupt(String),
    /// Encoding a decoded image failed: a fault on our side, not the upload's. The message is
    /// for the log, not for a client (answer 500).
    #[error("the image could not be converted: {0}")]
    Internal(String),
}
