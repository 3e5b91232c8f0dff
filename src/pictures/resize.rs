//! 8-bit RGB(A) pixels and their resizing.

use std::borrow::Cow;

use fast_image_resize::images::{Image, ImageRef};
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::DynamicImage;

use super::types::PictureError;

/// 8-bit sRGB pixels, row after row: RGB, or RGBA when some pixel is not opaque (an alpha
/// channel that is all opaque is dropped, so encoders need not carry it).
pub(super) struct Pixels<'a> {
    pub width: u32,
    pub height: u32,
    pub alpha: bool,
    pub data: Cow<'a, [u8]>,
}

fn opaque(rgba: &[u8]) -> bool {
    rgba.chunks_exact(4).all(|pixel| pixel[3] == u8::MAX)
}

impl Pixels<'_> {
    /// The image's pixels, converted only when they are not 8-bit RGB(A) already.
    pub fn borrowed(image: &DynamicImage) -> Pixels<'_> {
        match image {
            DynamicImage::ImageRgb8(buffer) => Pixels {
                width: buffer.width(),
                height: buffer.height(),
                alpha: false,
                data: Cow::Borrowed(buffer.as_raw()),
            },
            DynamicImage::ImageRgba8(buffer) if !opaque(buffer.as_raw()) => Pixels {
                width: buffer.width(),
                height: buffer.height(),
                alpha: true,
                data: Cow::Borrowed(buffer.as_raw()),
            },
            _ => Pixels::from_image(image.clone()),
        }
    }

    pub fn from_image(image: DynamicImage) -> Pixels<'static> {
        let (width, height) = (image.width(), image.height());
        let (alpha, data) = if image.color().has_alpha() {
            let rgba = image.into_rgba8();
            if opaque(rgba.as_raw()) {
                (false, DynamicImage::ImageRgba8(rgba).into_rgb8().into_raw())
            } else {
                (true, rgba.into_raw())
            }
        } else {
            (false, image.into_rgb8().into_raw())
        };
        Pixels {
            width,
            height,
            alpha,
            data: Cow::Owned(data),
        }
    }

    pub fn color(&self) -> image::ExtendedColorType {
        if self.alpha {
            image::ExtendedColorType::Rgba8
        } else {
            image::ExtendedColorType::Rgb8
        }
    }

    fn pixel_type(&self) -> PixelType {
        if self.alpha {
            PixelType::U8x4
        } else {
            PixelType::U8x3
        }
    }
}

/// The height that keeps the aspect ratio at `width`, at least one pixel.
pub(super) fn height_at(width: u32, from: (u32, u32)) -> u32 {
    let height = (u64::from(from.1) * u64::from(width) + u64::from(from.0) / 2) / u64::from(from.0);
    u32::try_from(height.max(1)).unwrap_or(u32::MAX)
}

/// Resized to `width` (and the height that keeps the aspect ratio) with Lanczos3; the alpha
/// channel is premultiplied while resampling so transparent pixels' colours do not bleed.
pub(super) fn to_width(pixels: &Pixels<'_>, width: u32) -> Result<Pixels<'static>, PictureError> {
    let height = height_at(width, (pixels.width, pixels.height));
    resize(pixels, width, height, FilterType::Lanczos3)
}

pub(super) fn resize(
    pixels: &Pixels<'_>,
    width: u32,
    height: u32,
    filter: FilterType,
) -> Result<Pixels<'static>, PictureError> {
    let internal = |e: &dyn std::fmt::Display| PictureError::Internal(format!("resizing: {e}"));
    let source = ImageRef::new(
        pixels.width,
        pixels.height,
        &pixels.data,
        pixels.pixel_type(),
    )
    .map_err(|e| internal(&e))?;
    let mut target = Image::new(width, height, pixels.pixel_type());
    Resizer::new()
        .resize(
            &source,
            &mut target,
            &ResizeOptions::new().resize_alg(ResizeAlg::Convolution(filter)),
        )
        .map_err(|e| internal(&e))?;
    Ok(Pixels {
        width,
        height,
        alpha: pixels.alpha,
        data: Cow::Owned(target.into_vec()),
    })
}
