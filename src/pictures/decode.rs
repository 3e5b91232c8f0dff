//! Reading uploads: the header alone for [`probe`], then the pixels under limits, turned
//! upright.

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageError, ImageReader, Limits};

use super::format::Format;
use super::format::{sniff, sniff_other};
use super::types::{PictureError, Probe, Settings};

/// The most bytes one pixel takes once decoded (RGBA, 16 bits a channel), so the decoder's
/// allocation bound follows from the pixel bound.
const MAX_BYTES_PER_PIXEL: u64 = 8;
/// Room for the decoders' own buffers besides the output image (rows, tables, a frame).
const DECODER_HEADROOM: u64 = 64 * 1024 * 1024;

fn reader(bytes: &[u8], format: Format) -> ImageReader<Cursor<&[u8]>> {
    ImageReader::with_format(Cursor::new(bytes), format.image_format())
}

/// Format and header size; no pixel is decoded and nothing is allocated for them.
pub(super) fn probe(bytes: &[u8]) -> Result<Probe, PictureError> {
    let Some(format) = sniff(bytes) else {
        return Err(match sniff_other(bytes) {
            Some(name) => {
                PictureError::UnsupportedFormat(format!("{name} (send a JPEG, PNG, WebP or GIF)"))
            }
            None => PictureError::NotAnImage,
        });
    };
    let mut reader = reader(bytes, format);
    // The size is checked by the caller against its own bound; limits here could refuse a
    // bomb with a less precise error before we learn its size.
    reader.no_limits();
    let (width, height) = reader
        .into_dimensions()
        .map_err(|e| from_image_error(e, false))?;
    if width == 0 || height == 0 {
        return Err(PictureError::Corrupt("the image has no pixels".into()));
    }
    Ok(Probe {
        format,
        width,
        height,
    })
}

/// The pixels (a GIF's first frame) in sRGB, upright. `probe` has been checked against the settings.
pub(super) fn decode(
    bytes: &[u8],
    probe: Probe,
    settings: &Settings,
) -> Result<DynamicImage, PictureError> {
    let mut limits = Limits::default();
    limits.max_alloc = Some(
        settings
            .max_pixels
            .saturating_mul(MAX_BYTES_PER_PIXEL)
            .saturating_add(DECODER_HEADROOM),
    );
    // The JPEG decoder fills a missing end with grey rather than fail.
    if probe.format == Format::Jpeg && !jpeg_is_complete(bytes) {
        return Err(PictureError::Corrupt("the file ends too early".into()));
    }
    let mut reader = reader(bytes, probe.format);
    reader.limits(limits);
    let fail = |e| from_image_error(e, true);
    let mut decoder = reader.into_decoder().map_err(fail)?;
    // A damaged EXIF block is no reason to refuse the picture: it is then shown as stored.
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let icc = decoder.icc_profile().ok().flatten();
    let mut image = DynamicImage::from_decoder(decoder).map_err(fail)?;
    if let Some(icc) = icc {
        super::colour::to_srgb(&mut image, &icc);
    }
    image.apply_orientation(orientation);
    Ok(image)
}

/// Whether the JPEG's segments and scans run on to an end-of-image marker. Segments are
/// skipped by their lengths (an EXIF thumbnail's own end marker is inside one); a scan's
/// entropy-coded data ends at the first marker that is neither a stuffed `FF 00` nor a
/// restart marker.
fn jpeg_is_complete(bytes: &[u8]) -> bool {
    let length_at = |i: usize| -> Option<usize> {
        let high = *bytes.get(i)?;
        let low = *bytes.get(i + 1)?;
        Some(usize::from(u16::from_be_bytes([high, low])))
    };
    let mut i = 2;
    loop {
        if bytes.get(i) != Some(&0xFF) {
            return false;
        }
        // Fill bytes before a marker.
        while bytes.get(i + 1) == Some(&0xFF) {
            i += 1;
        }
        let Some(&marker) = bytes.get(i + 1) else {
            return false;
        };
        i += 2;
        match marker {
            0xD9 => return true,
            0x01 | 0xD0..=0xD7 => {}
            _ => {
                let Some(length) = length_at(i) else {
                    return false;
                };
                i += length;
                if marker == 0xDA {
                    // Entropy-coded data up to the next real marker.
                    loop {
                        match (bytes.get(i), bytes.get(i + 1)) {
                            (Some(0xFF), Some(0x00 | 0xD0..=0xD7)) => i += 2,
                            (Some(0xFF), Some(_)) => break,
                            (Some(_), _) => i += 1,
                            (None, _) => return false,
                        }
                    }
                }
            }
        }
    }
}

/// The image crate's error as a refusal. `passed` says the header was within the pixel
/// bound: running out of the allocation budget then means a file built to need far more
/// memory than its size suggests.
fn from_image_error(error: ImageError, passed: bool) -> PictureError {
    match error {
        ImageError::Decoding(e) => PictureError::Corrupt(e.to_string()),
        ImageError::IoError(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
            PictureError::Corrupt("the file ends too early".into())
        }
        ImageError::IoError(e) => PictureError::Corrupt(e.to_string()),
        ImageError::Unsupported(e) => PictureError::UnsupportedFormat(e.to_string()),
        ImageError::Limits(_) if passed => PictureError::UnsupportedFormat(
            "decoding it would need more memory than is allowed".into(),
        ),
        ImageError::Limits(e) => PictureError::Corrupt(e.to_string()),
        ImageError::Parameter(e) => PictureError::Corrupt(e.to_string()),
        ImageError::Encoding(e) => PictureError::Internal(e.to_string()),
    }
}
