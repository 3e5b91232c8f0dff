//! Encoding pixels. Every encoder here writes pixels and the few headers a decoder needs,
//! never metadata: that is what makes the outputs clean.

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::{DynamicImage, ImageEncoder};

use super::format::Format;
use super::resize::Pixels;
use super::types::{Encoded, PictureError};

/// libwebp refuses a side longer than this.
const WEBP_MAX_SIDE: u32 = 16383;

fn internal(format: Format, e: impl std::fmt::Display) -> PictureError {
    PictureError::Internal(format!("encoding {format}: {e}"))
}

fn encoded(format: Format, pixels: &Pixels<'_>, bytes: Vec<u8>) -> Encoded {
    Encoded {
        format,
        width: pixels.width,
        height: pixels.height,
        bytes,
    }
}

/// Baseline JPEG (JFIF header only); the alpha channel, if any, is dropped.
pub(super) fn jpeg(pixels: &Pixels<'_>, quality: u8) -> Result<Encoded, PictureError> {
    let mut bytes = Vec::new();
    let encoder = JpegEncoder::new_with_quality(&mut bytes, quality.clamp(1, 100));
    if pixels.alpha {
        let rgb: Vec<u8> = pixels
            .data
            .chunks_exact(4)
            .flat_map(|p| [p[0], p[1], p[2]])
            .collect();
        encoder.write_image(
            &rgb,
            pixels.width,
            pixels.height,
            image::ExtendedColorType::Rgb8,
        )
    } else {
        encoder.write_image(&pixels.data, pixels.width, pixels.height, pixels.color())
    }
    .map_err(|e| internal(Format::Jpeg, e))?;
    Ok(encoded(Format::Jpeg, pixels, bytes))
}

fn png_encoder(bytes: &mut Vec<u8>) -> PngEncoder<&mut Vec<u8>> {
    PngEncoder::new_with_quality(bytes, CompressionType::Default, FilterType::Adaptive)
}

/// 8-bit PNG, for renditions.
pub(super) fn png(pixels: &Pixels<'_>) -> Result<Encoded, PictureError> {
    let mut bytes = Vec::new();
    png_encoder(&mut bytes)
        .write_image(&pixels.data, pixels.width, pixels.height, pixels.color())
        .map_err(|e| internal(Format::Png, e))?;
    Ok(encoded(Format::Png, pixels, bytes))
}

/// The full-size PNG, in the decoded colour type and bit depth (16-bit and grey PNGs stay so).
pub(super) fn png_full(image: &DynamicImage) -> Result<Encoded, PictureError> {
    let mut bytes = Vec::new();
    let result = match image {
        // The encoder takes 8- and 16-bit integer pixels; anything else goes as 16-bit.
        DynamicImage::ImageRgb32F(_) | DynamicImage::ImageRgba32F(_) => {
            let rgba = image.to_rgba16();
            png_encoder(&mut bytes).write_image(
                image::EncodableLayout::as_bytes(rgba.as_raw().as_slice()),
                rgba.width(),
                rgba.height(),
                image::ExtendedColorType::Rgba16,
            )
        }
        _ => png_encoder(&mut bytes).write_image(
            image.as_bytes(),
            image.width(),
            image.height(),
            image.color().into(),
        ),
    };
    result.map_err(|e| internal(Format::Png, e))?;
    Ok(Encoded {
        format: Format::Png,
        width: image.width(),
        height: image.height(),
        bytes,
    })
}

/// Whether libwebp can hold an image of this size.
pub(super) fn fits_webp(pixels: &Pixels<'_>) -> bool {
    pixels.width <= WEBP_MAX_SIDE && pixels.height <= WEBP_MAX_SIDE
}

fn webp_encode(pixels: &Pixels<'_>, lossless: bool, quality: f32) -> Result<Encoded, PictureError> {
    if !fits_webp(pixels) {
        return Err(PictureError::UnsupportedFormat(format!(
            "a WebP image is at most {WEBP_MAX_SIDE}×{WEBP_MAX_SIDE} pixels"
        )));
    }
    let encoder = if pixels.alpha {
        webp::Encoder::from_rgba(&pixels.data, pixels.width, pixels.height)
    } else {
        webp::Encoder::from_rgb(&pixels.data, pixels.width, pixels.height)
    };
    let memory = encoder
        .encode_simple(lossless, quality.clamp(0.0, 100.0))
        .map_err(|e| internal(Format::WebP, format!("{e:?}")))?;
    Ok(encoded(Format::WebP, pixels, memory.to_vec()))
}

/// Lossy WebP (VP8), alpha kept (compressed losslessly by libwebp).
pub(super) fn webp(pixels: &Pixels<'_>, quality: f32) -> Result<Encoded, PictureError> {
    webp_encode(pixels, false, quality)
}

/// Lossless WebP (VP8L), for a lossless upload's full size.
pub(super) fn webp_lossless(pixels: &Pixels<'_>) -> Result<Encoded, PictureError> {
    webp_encode(pixels, true, 75.0)
}
