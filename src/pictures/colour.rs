//! Colour profiles: an upload's embedded ICC profile is applied, turning the pixels into sRGB,
//! before the profile is dropped with the rest of the metadata. A wide-gamut photo (a phone's
//! Display P3) would otherwise look washed out.

use image::DynamicImage;
use moxcms::{ColorProfile, DataColorSpace, Layout, TransformOptions};

/// Converts 8-bit RGB(A) pixels from `icc` to sRGB. A profile that cannot be read or used
/// (damaged, CMYK, grey, 16-bit pixels) leaves the pixels as they are: they are then taken
/// as sRGB, as a browser would without the profile.
pub(super) fn to_srgb(image: &mut DynamicImage, icc: &[u8]) {
    let Ok(source) = ColorProfile::new_from_slice(icc) else {
        return;
    };
    if source.color_space != DataColorSpace::Rgb {
        return;
    }
    let (layout, pixels) = match image {
        DynamicImage::ImageRgb8(buffer) => (Layout::Rgb, &mut **buffer),
        DynamicImage::ImageRgba8(buffer) => (Layout::Rgba, &mut **buffer),
        _ => return,
    };
    let srgb = ColorProfile::new_srgb();
    let Ok(transform) =
        source.create_transform_8bit(layout, &srgb, layout, TransformOptions::default())
    else {
        return;
    };
    let mut converted = vec![0; pixels.len()];
    if transform.transform(pixels, &mut converted).is_ok() {
        pixels.copy_from_slice(&converted);
    }
}
