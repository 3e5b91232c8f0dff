//! A BlurHash placeholder: a short string a client decodes into a blurred preview.

use fast_image_resize::FilterType;

use super::resize::{height_at, resize, Pixels};
use super::types::PictureError;

/// The longer side of the image the hash is computed from: the hash keeps a handful of
/// cosine components, so more pixels change nothing but the time taken.
const SAMPLE_SIDE: u32 = 32;

pub(super) fn blurhash(pixels: &Pixels<'_>) -> Result<String, PictureError> {
    let (width, height) = if pixels.width >= pixels.height {
        let width = SAMPLE_SIDE.min(pixels.width);
        (width, height_at(width, (pixels.width, pixels.height)))
    } else {
        let height = SAMPLE_SIDE.min(pixels.height);
        (height_at(height, (pixels.height, pixels.width)), height)
    };
    // Bilinear over the whole reduction is an area average here: enough for a blur.
    let small = resize(pixels, width, height, FilterType::Bilinear)?;
    // BlurHash reads RGBA and ignores alpha: transparent parts are laid on white.
    let rgba: Vec<u8> = if small.alpha {
        small
            .data
            .chunks_exact(4)
            .flat_map(|p| {
                let a = u16::from(p[3]);
                let over_white = |c: u8| ((u16::from(c) * a + 255 * (255 - a) + 127) / 255) as u8;
                [over_white(p[0]), over_white(p[1]), over_white(p[2]), 255]
            })
            .collect()
    } else {
        small
            .data
            .chunks_exact(3)
            .flat_map(|p| [p[0], p[1], p[2], 255])
            .collect()
    };
    let (x, y) = if width >= height { (4, 3) } else { (3, 4) };
    blurhash::encode(x, y, width, height, &rgba)
        .map_err(|e| PictureError::Internal(format!("placeholder: {e}")))
}
