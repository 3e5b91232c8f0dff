//! Pictures: uploaded images checked, cleaned and cut into responsive renditions. Pure
//! functions over bytes: no HTTP, no database, no files. The upload route stores what
//! [`process`] returns.
//!
//! ```text
//! pub enum Format { Jpeg, Png, WebP, Gif }          // mime(), extension()
//! pub fn sniff(bytes: &[u8]) -> Option<Format>
//! pub fn probe(bytes: &[u8], settings: &Settings) -> Result<Probe, PictureError>
//! pub fn process(bytes: &[u8], settings: &Settings) -> Result<Processed, PictureError>
//! ```
//!
//! - **Format** comes from the magic bytes only ([`sniff`]), never from a file name or the type
//!   a client claims.
//! - **Decompression bombs**: [`probe`] reads the header alone and refuses more than
//!   [`Settings::max_pixels`] before a pixel is decoded; [`process`] probes first, then
//!   decodes under `image::Limits` sized from the same bound. An animated GIF's frames count
//!   together against [`Settings::max_animation_pixels`].
//! - **Orientation**: the EXIF orientation (JPEG, PNG `eXIf`, WebP `EXIF`) is applied to the
//!   pixels, so every output is upright with no tag to honour.
//! - **Metadata**: every output is encoded afresh from pixels, so nothing of the upload's
//!   metadata survives: no EXIF (camera, GPS position, time), XMP, IPTC, ICC profile, comments,
//!   or text chunks, and no bytes smuggled after the image data.
//! - **Colour**: an embedded ICC profile (a phone's Display P3, Adobe RGB) is applied to
//!   8-bit RGB pixels, turning them into sRGB, before it is dropped; an unusable profile
//!   (damaged, CMYK, 16-bit pixels) is ignored and the pixels taken as sRGB.
//! - **`full`**: the upright, cleaned image at full size in the original's format. JPEG at
//!   [`Settings::jpeg_quality`]; PNG losslessly (bit depth kept); WebP lossless when the
//!   upload was lossless, else lossy at [`Settings::webp_quality`] (an animated WebP keeps
//!   its first frame only); GIF rewritten frame by frame (see below).
//! - **GIF**: a GIF can carry XMP (which can hold a GPS position) and comments in its
//!   extension blocks, so its bytes are never kept. `full` is a new GIF with the same frames,
//!   palettes, delays, disposal and loop count, and no other extension: animations stay
//!   animated. Renditions use the first frame, as PNG and WebP (a still GIF rendition would
//!   be larger and worse than PNG).
//! - **Renditions**: for each of [`Settings::widths`] strictly below the image's width (never
//!   an upscale), one WebP (lossy, alpha kept) and one in the original's format (GIF → PNG;
//!   a WebP upload gets its one WebP). The height keeps the aspect ratio. Resampling is
//!   Lanczos3 (`fast_image_resize`, with alpha premultiplied so edges do not darken). A WebP
//!   cannot be taller than 16383 pixels: for such an extreme strip the WebP is left out.
//! - **Placeholder**: a [BlurHash](https://blurha.sh) (4×3 components, 3×4 for portraits;
//!   about 28 ASCII characters) of a 32-pixel downscale, transparency composited on white.
//!   Clients decode it into a blurred preview shown while the image loads.
//!
//! [`process`] is CPU-bound, single-threaded: about 1.2–1.8 s and 80–95 MB peak for a
//! 9–12-megapixel photo in a release build on our 2-core machines (the full-size JPEG and
//! the WebP renditions take most of it). Call it from a blocking thread (`web::block`),
//! never on an async worker, and bound how many run at once.

mod colour;
mod decode;
mod encode;
mod format;
mod gif_rewrite;
mod placeholder;
mod resize;
#[cfg(test)]
mod tests;
mod types;

pub use format::{sniff, Format};
pub use types::{Encoded, PictureError, Probe, Processed, Settings};

use resize::Pixels;

/// The upload's format and header size; refuses more than [`Settings::max_pixels`] without
/// decoding the pixels.
pub fn probe(bytes: &[u8], settings: &Settings) -> Result<Probe, PictureError> {
    let probe = decode::probe(bytes)?;
    let pixels = u64::from(probe.width) * u64::from(probe.height);
    if pixels > settings.max_pixels {
        return Err(PictureError::TooManyPixels {
            width: probe.width,
            height: probe.height,
            max: settings.max_pixels,
        });
    }
    Ok(probe)
}

/// Checks, decodes, turns upright, cleans and resizes an upload. See the module documentation.
pub fn process(bytes: &[u8], settings: &Settings) -> Result<Processed, PictureError> {
    let probe = probe(bytes, settings)?;
    // A decoder bug must cost one upload, not the worker thread: a panic becomes a refusal.
    std::panic::catch_unwind(|| process_probed(bytes, probe, settings)).unwrap_or_else(|panic| {
        let message = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        tracing::error!(format = %probe.format, %message, "image processing panicked");
        Err(PictureError::Corrupt("the image could not be read".into()))
    })
}

fn process_probed(
    bytes: &[u8],
    probe: Probe,
    settings: &Settings,
) -> Result<Processed, PictureError> {
    // A GIF is rewritten first: that walks every frame and refuses an oversized one before
    // the first frame is decoded to pixels.
    let gif = match probe.format {
        Format::Gif => Some(gif_rewrite::rewrite(bytes, settings)?),
        _ => None,
    };
    let image = decode::decode(bytes, probe, settings)?;
    let (width, height) = (image.width(), image.height());
    let full = match (probe.format, gif) {
        (_, Some(bytes)) => Encoded {
            format: Format::Gif,
            width,
            height,
            bytes,
        },
        (Format::Png, None) => encode::png_full(&image)?,
        (Format::Jpeg, None) => encode::jpeg(&Pixels::borrowed(&image), settings.jpeg_quality)?,
        (_, None) if format::webp_is_lossless(bytes) => {
            encode::webp_lossless(&Pixels::borrowed(&image))?
        }
        (_, None) => encode::webp(&Pixels::borrowed(&image), settings.webp_quality)?,
    };
    let pixels = Pixels::from_image(image);

    let mut widths: Vec<u32> = settings
        .widths
        .iter()
        .copied()
        .filter(|&w| w > 0 && w < width)
        .collect();
    widths.sort_unstable();
    widths.dedup();
    let mut renditions = Vec::with_capacity(widths.len() * 2);
    for target in widths {
        let small = resize::to_width(&pixels, target)?;
        if encode::fits_webp(&small) {
            renditions.push(encode::webp(&small, settings.webp_quality)?);
        }
        match probe.format {
            Format::Jpeg => renditions.push(encode::jpeg(&small, settings.jpeg_quality)?),
            Format::Png | Format::Gif => renditions.push(encode::png(&small)?),
            Format::WebP => {}
        }
    }

    Ok(Processed {
        format: probe.format,
        width,
        height,
        full,
        renditions,
        placeholder: placeholder::blurhash(&pixels)?,
    })
}
