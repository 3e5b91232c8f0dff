//! A GIF rewritten frame by frame: the same frames, palettes, timing and loop count, and
//! none of the extension blocks a GIF can also carry (comments, XMP with a GPS position,
//! ICC profiles, any application's data), nor bytes after the end.

use std::borrow::Cow;
use std::num::NonZeroU64;

use super::types::{PictureError, Settings};

fn corrupt(e: impl std::fmt::Display) -> PictureError {
    PictureError::Corrupt(e.to_string())
}

pub(super) fn rewrite(bytes: &[u8], settings: &Settings) -> Result<Vec<u8>, PictureError> {
    let mut options = gif::DecodeOptions::new();
    // Palette indices, one byte a pixel, exactly as stored: no colour is changed.
    options.set_color_output(gif::ColorOutput::Indexed);
    if let Some(limit) = NonZeroU64::new(settings.max_pixels) {
        options.set_memory_limit(gif::MemoryLimit::Bytes(limit));
    }
    let mut decoder = options.read_info(bytes).map_err(corrupt)?;
    let global_palette = decoder.global_palette().unwrap_or_default().to_vec();
    let mut out = Vec::new();
    let mut encoder =
        gif::Encoder::new(&mut out, decoder.width(), decoder.height(), &global_palette)
            .map_err(corrupt)?;
    let mut frames = 0_u64;
    let mut pixels = 0_u64;
    // The loop count sits in an extension before the first frame's pixels.
    while let Some(info) = decoder.next_frame_info().map_err(corrupt)? {
        let mut frame = info.clone();
        let frame_pixels = u64::from(frame.width) * u64::from(frame.height);
        pixels = pixels.saturating_add(frame_pixels);
        // A frame may claim to be larger than the screen: its own size is bounded too.
        if frame_pixels > settings.max_pixels {
            return Err(PictureError::TooManyPixels {
                width: u32::from(frame.width),
                height: u32::from(frame.height),
                max: settings.max_pixels,
            });
        }
        if pixels > settings.max_animation_pixels {
            return Err(PictureError::UnsupportedFormat(format!(
                "the animation is too long: its frames hold more than {} pixels together",
                settings.max_animation_pixels
            )));
        }
        if frames == 0 {
            encoder.set_repeat(decoder.repeat()).map_err(corrupt)?;
        }
        let mut buffer = vec![0; decoder.buffer_size()];
        decoder.read_into_buffer(&mut buffer).map_err(corrupt)?;
        frame.buffer = Cow::Owned(buffer);
        // read_into_buffer de-interlaces the rows.
        frame.interlaced = false;
        encoder.write_frame(&frame).map_err(corrupt)?;
        frames += 1;
    }
    if frames == 0 {
        return Err(PictureError::Corrupt("the GIF has no frames".into()));
    }
    encoder.into_inner().map_err(corrupt)?;
    Ok(out)
}
