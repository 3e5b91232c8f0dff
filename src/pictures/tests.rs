//! Images are made here, in code: a photo-like picture is noise over gradients; metadata
//! blocks and bomb headers are written byte by byte.

use std::io::Cursor;
use std::time::{Duration, Instant};

use image::{DynamicImage, ImageEncoder, Rgb, RgbImage, Rgba, RgbaImage};

use super::*;

// --- making images -------------------------------------------------------------------------

/// Gradients with noise: compresses like a photo, unlike a flat test card.
fn photo(width: u32, height: u32) -> RgbImage {
    let mut state = 0x2545_F491_4F6C_DD1D_u64;
    RgbImage::from_fn(width, height, |x, y| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let noise = (state % 48) as u32;
        let r = (x * 200 / width.max(1)) + noise;
        let g = (y * 200 / height.max(1)) + noise / 2;
        let b = ((x + y) * 150 / (width + height).max(1)) + 40;
        Rgb([r.min(255) as u8, g.min(255) as u8, b.min(255) as u8])
    })
}

fn jpeg_of(image: &RgbImage, quality: u8) -> Vec<u8> {
    let mut bytes = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, quality)
        .encode_image(image)
        .unwrap();
    bytes
}

fn png_of(image: &DynamicImage) -> Vec<u8> {
    let mut bytes = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Png)
        .unwrap();
    bytes
}

fn webp_lossy_of(image: &RgbImage) -> Vec<u8> {
    webp::Encoder::from_rgb(image.as_raw(), image.width(), image.height())
        .encode_simple(false, 80.0)
        .unwrap()
        .to_vec()
}

fn webp_lossless_of(image: &RgbaImage) -> Vec<u8> {
    let mut bytes = Vec::new();
    image::codecs::webp::WebPEncoder::new_lossless(&mut bytes)
        .write_image(
            image.as_raw(),
            image.width(),
            image.height(),
            image::ExtendedColorType::Rgba8,
        )
        .unwrap();
    bytes
}

/// A JPEG with extra segments (APP1 EXIF, APP1 XMP, COM…) right after its SOI marker.
fn with_segments(jpeg: &[u8], segments: &[(u8, Vec<u8>)]) -> Vec<u8> {
    let mut out = jpeg[..2].to_vec();
    for (marker, payload) in segments {
        out.extend_from_slice(&[0xFF, *marker]);
        out.extend_from_slice(&u16::try_from(payload.len() + 2).unwrap().to_be_bytes());
        out.extend_from_slice(payload);
    }
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// The rational 29.58 seconds of latitude as stored: found in any output, GPS leaked.
const GPS_SECONDS: [u8; 8] = [0x8E, 0x0B, 0, 0, 0x64, 0, 0, 0];
const XMP_MARKER: &[u8] = b"exif:GPSLatitude>48,51.493N<";
const COMMENT_MARKER: &[u8] = b"shot at the reporter's home";

/// An APP1 EXIF payload (little-endian TIFF): IFD0 with Orientation and, if asked, a GPS IFD
/// with version, latitude reference and latitude 48°51'29.58".
fn exif(orientation: u16, gps: bool) -> Vec<u8> {
    fn entry(out: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: [u8; 4]) {
        out.extend_from_slice(&tag.to_le_bytes());
        out.extend_from_slice(&kind.to_le_bytes());
        out.extend_from_slice(&count.to_le_bytes());
        out.extend_from_slice(&value);
    }
    const SHORT: u16 = 3;
    const LONG: u16 = 4;
    let mut tiff = b"II*\0".to_vec();
    tiff.extend_from_slice(&8_u32.to_le_bytes());
    // IFD0 at 8: 2 + n×12 + 4 bytes.
    let entries: u16 = if gps { 2 } else { 1 };
    tiff.extend_from_slice(&entries.to_le_bytes());
    let [o0, o1] = orientation.to_le_bytes();
    entry(&mut tiff, 0x0112, SHORT, 1, [o0, o1, 0, 0]);
    let gps_ifd = 8 + 2 + u32::from(entries) * 12 + 4;
    if gps {
        entry(&mut tiff, 0x8825, LONG, 1, gps_ifd.to_le_bytes());
    }
    tiff.extend_from_slice(&0_u32.to_le_bytes());
    if gps {
        let rationals = gps_ifd + 2 + 3 * 12 + 4;
        tiff.extend_from_slice(&3_u16.to_le_bytes());
        entry(&mut tiff, 0x0000, 1, 4, [2, 3, 0, 0]); // GPSVersionID, BYTE
        entry(&mut tiff, 0x0001, 2, 2, *b"N\0\0\0"); // GPSLatitudeRef, ASCII
        entry(&mut tiff, 0x0002, 5, 3, rationals.to_le_bytes()); // GPSLatitude, RATIONAL
        tiff.extend_from_slice(&0_u32.to_le_bytes());
        for (numerator, denominator) in [(48_u32, 1_u32), (51, 1)] {
            tiff.extend_from_slice(&numerator.to_le_bytes());
            tiff.extend_from_slice(&denominator.to_le_bytes());
        }
        tiff.extend_from_slice(&GPS_SECONDS);
    }
    let mut payload = b"Exif\0\0".to_vec();
    payload.extend_from_slice(&tiff);
    payload
}

fn xmp() -> Vec<u8> {
    let mut payload = b"http://ns.adobe.com/xap/1.0/\0".to_vec();
    payload.extend_from_slice(b"<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF><rdf:Description ");
    payload.extend_from_slice(XMP_MARKER);
    payload.extend_from_slice(b"</rdf:Description></rdf:RDF></x:xmpmeta>");
    payload
}

/// A JPEG carrying EXIF (orientation, GPS), XMP and a comment.
fn jpeg_with_metadata(image: &RgbImage, orientation: u16) -> Vec<u8> {
    with_segments(
        &jpeg_of(image, 90),
        &[
            (0xE1, exif(orientation, true)),
            (0xE1, xmp()),
            (0xFE, COMMENT_MARKER.to_vec()),
        ],
    )
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0_u32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn png_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&u32::try_from(data.len()).unwrap().to_be_bytes());
    let mut body = kind.to_vec();
    body.extend_from_slice(data);
    out.extend_from_slice(&body);
    out.extend_from_slice(&crc32(&body).to_be_bytes());
}

/// A tiny, valid-looking PNG whose header claims `width`×`height` RGB pixels.
fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    png_chunk(&mut out, b"IHDR", &ihdr);
    // A zlib stream of a few zero bytes: far too short, but a bomb is only as long as it
    // needs to be to look real.
    png_chunk(&mut out, b"IDAT", &[0x78, 0x9C, 0x63, 0, 0, 0, 1, 0, 1]);
    png_chunk(&mut out, b"IEND", &[]);
    out
}

/// A GIF with `frames` frames, a comment and an XMP application extension.
fn animated_gif(width: u16, height: u16, frames: u8) -> Vec<u8> {
    let mut out = Vec::new();
    let palette: Vec<u8> = (0..=255_u8).flat_map(|i| [i, 255 - i, i / 2]).collect();
    {
        let mut encoder = gif::Encoder::new(&mut out, width, height, &palette).unwrap();
        encoder.set_repeat(gif::Repeat::Infinite).unwrap();
        encoder
            .write_raw_extension(gif::Extension::Comment.into(), &[COMMENT_MARKER])
            .unwrap();
        let mut xmp_data = b"XMP DataXMP".to_vec();
        xmp_data.extend_from_slice(XMP_MARKER);
        encoder
            .write_raw_extension(gif::Extension::Application.into(), &[&xmp_data])
            .unwrap();
        for n in 0..frames {
            let buffer: Vec<u8> = (0..u32::from(width) * u32::from(height))
                .map(|i| (i as u8).wrapping_add(n * 40))
                .collect();
            let mut frame = gif::Frame::from_indexed_pixels(width, height, buffer, None);
            frame.delay = 10;
            encoder.write_frame(&frame).unwrap();
        }
    }
    out
}

// --- checking outputs ------------------------------------------------------------------------

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Decodes as its declared format at its declared size.
fn decoded(encoded: &Encoded) -> DynamicImage {
    assert_eq!(sniff(&encoded.bytes), Some(encoded.format), "{encoded:?}");
    let image = image::load_from_memory_with_format(&encoded.bytes, encoded.format.image_format())
        .unwrap_or_else(|e| panic!("{encoded:?} does not decode: {e}"));
    assert_eq!(
        (image.width(), image.height()),
        (encoded.width, encoded.height),
        "{encoded:?}"
    );
    image
}

fn outputs(processed: &Processed) -> impl Iterator<Item = &Encoded> {
    std::iter::once(&processed.full).chain(&processed.renditions)
}

fn assert_no_metadata(processed: &Processed) {
    for output in outputs(processed) {
        let bytes = &output.bytes;
        assert!(!contains(bytes, b"Exif\0\0"), "EXIF in {output:?}");
        assert!(!contains(bytes, &GPS_SECONDS), "GPS in {output:?}");
        assert!(!contains(bytes, XMP_MARKER), "XMP in {output:?}");
        assert!(!contains(bytes, b"ns.adobe.com"), "XMP in {output:?}");
        assert!(!contains(bytes, COMMENT_MARKER), "comment in {output:?}");
        match output.format {
            // No APP1 (EXIF, XMP), APP13 (IPTC) or COM segment among the headers.
            Format::Jpeg => {
                for marker in [0xE1, 0xED, 0xFE] {
                    assert!(
                        !contains(bytes, &[0xFF, marker]),
                        "{marker:X} in {output:?}"
                    );
                }
            }
            Format::Png => {
                for chunk in [b"eXIf", b"iTXt", b"tEXt", b"zTXt", b"iCCP"] {
                    assert!(!contains(bytes, chunk), "{chunk:?} in {output:?}");
                }
            }
            Format::WebP => {
                for chunk in [b"EXIF", b"XMP ", b"ICCP"] {
                    assert!(!contains(bytes, chunk), "{chunk:?} in {output:?}");
                }
            }
            Format::Gif => {}
        }
    }
}

fn settings() -> Settings {
    Settings::default()
}

// --- sniff and probe -------------------------------------------------------------------------

#[test]
fn sniff_knows_the_four_formats_by_their_bytes() {
    let small = photo(16, 12);
    let rgba = DynamicImage::ImageRgb8(small.clone()).into_rgba8();
    assert_eq!(sniff(&jpeg_of(&small, 80)), Some(Format::Jpeg));
    assert_eq!(
        sniff(&png_of(&DynamicImage::ImageRgb8(small.clone()))),
        Some(Format::Png)
    );
    assert_eq!(sniff(&webp_lossy_of(&small)), Some(Format::WebP));
    assert_eq!(sniff(&webp_lossless_of(&rgba)), Some(Format::WebP));
    assert_eq!(sniff(&animated_gif(8, 8, 1)), Some(Format::Gif));
    assert_eq!(sniff(b"GIF87a\x01\0\x01\0"), Some(Format::Gif));

    assert_eq!(Format::Jpeg.mime(), "image/jpeg");
    assert_eq!(Format::Jpeg.extension(), "jpg");
    assert_eq!(Format::WebP.mime(), "image/webp");
    assert_eq!(Format::Gif.extension(), "gif");
}

#[test]
fn sniff_refuses_text_svg_and_truncated_signatures() {
    let svg = br#"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>"#;
    let refused: [&[u8]; 10] = [
        b"",
        b"hello, this is a text file\n",
        svg,
        b"<svg width='10' height='10'></svg>",
        b"\x89PNG\r\n",
        b"\xFF\xD8",
        b"GIF8",
        b"GIF89",
        b"RIFF\x10\0\0\0WEBP",
        b"RIFF\x10\0\0\0WAVEfmt ",
    ];
    for bytes in refused {
        assert_eq!(sniff(bytes), None, "{bytes:?}");
        assert_eq!(
            probe(bytes, &settings()),
            Err(PictureError::NotAnImage),
            "{bytes:?}"
        );
        assert_eq!(process(bytes, &settings()), Err(PictureError::NotAnImage));
    }
}

#[test]
fn other_image_formats_are_named_in_the_refusal() {
    let heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic";
    assert!(matches!(
        probe(heic, &settings()),
        Err(PictureError::UnsupportedFormat(message)) if message.contains("HEIC")
    ));
    let tiff = b"II*\0\x08\0\0\0";
    assert!(matches!(
        probe(tiff, &settings()),
        Err(PictureError::UnsupportedFormat(message)) if message.contains("TIFF")
    ));
}

#[test]
fn probe_reads_format_and_stored_size() {
    let jpeg = jpeg_with_metadata(&photo(60, 40), 6);
    // The header's size: orientation is applied only by `process`.
    assert_eq!(
        probe(&jpeg, &settings()),
        Ok(Probe {
            format: Format::Jpeg,
            width: 60,
            height: 40
        })
    );
    let gif = animated_gif(30, 20, 2);
    assert_eq!(
        probe(&gif, &settings()),
        Ok(Probe {
            format: Format::Gif,
            width: 30,
            height: 20
        })
    );
}

// --- decompression bombs ---------------------------------------------------------------------

#[test]
fn a_png_claiming_ten_billion_pixels_is_refused_from_its_header() {
    let bomb = png_claiming(100_000, 100_000);
    assert!(bomb.len() < 100);
    let refused = PictureError::TooManyPixels {
        width: 100_000,
        height: 100_000,
        max: 50_000_000,
    };
    let started = Instant::now();
    assert_eq!(probe(&bomb, &settings()).err(), Some(refused.clone()));
    // 30 GB of pixels: had `process` tried to allocate them, the test would abort.
    assert_eq!(process(&bomb, &settings()).err(), Some(refused));
    assert!(started.elapsed() < Duration::from_secs(1));
    assert!(PictureError::TooManyPixels {
        width: 100_000,
        height: 100_000,
        max: 50_000_000
    }
    .to_string()
    .contains("100000×100000"));
}

#[test]
fn the_pixel_bound_is_the_settings_one() {
    let jpeg = jpeg_of(&photo(200, 100), 80);
    let tight = Settings {
        max_pixels: 19_999,
        ..settings()
    };
    assert_eq!(
        process(&jpeg, &tight),
        Err(PictureError::TooManyPixels {
            width: 200,
            height: 100,
            max: 19_999
        })
    );
    let exact = Settings {
        max_pixels: 20_000,
        ..settings()
    };
    assert!(process(&jpeg, &exact).is_ok());
}

#[test]
fn a_gif_bomb_is_refused_by_screen_size_and_by_frame_size() {
    // Logical screen 65535×65535 holding a 1×1 frame.
    let mut screen = b"GIF89a\xFF\xFF\xFF\xFF\x80\0\0".to_vec();
    screen.extend_from_slice(&[0, 0, 0, 255, 255, 255]);
    screen.extend_from_slice(b",\0\0\0\0\x01\0\x01\0\0\x02\x02\x44\x01\0;");
    assert!(matches!(
        process(&screen, &settings()),
        Err(PictureError::TooManyPixels {
            width: 65535,
            height: 65535,
            ..
        })
    ));
    // A small screen with a 65535×65535 frame in it.
    let mut frame = b"GIF89a\x10\0\x10\0\x80\0\0".to_vec();
    frame.extend_from_slice(&[0, 0, 0, 255, 255, 255]);
    frame.extend_from_slice(b",\0\0\0\0\xFF\xFF\xFF\xFF\0\x02\x02\x44\x01\0;");
    let started = Instant::now();
    assert!(matches!(
        process(&frame, &settings()),
        Err(PictureError::TooManyPixels {
            width: 65535,
            height: 65535,
            ..
        })
    ));
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[test]
fn an_animation_too_long_altogether_is_refused() {
    let gif = animated_gif(100, 100, 5);
    let short = Settings {
        max_animation_pixels: 40_000,
        ..settings()
    };
    assert!(matches!(
        process(&gif, &short),
        Err(PictureError::UnsupportedFormat(message)) if message.contains("animation")
    ));
    assert!(process(&gif, &settings()).is_ok());
}

// --- orientation and metadata ----------------------------------------------------------------

#[test]
fn exif_orientation_6_turns_the_picture_upright_and_no_exif_is_left() {
    // 60×40 as stored, red in the top-left quarter, blue elsewhere.
    let stored = RgbImage::from_fn(60, 40, |x, y| {
        if x < 30 && y < 20 {
            Rgb([255, 0, 0])
        } else {
            Rgb([0, 0, 255])
        }
    });
    let jpeg = jpeg_with_metadata(&stored, 6);
    let processed = process(&jpeg, &settings()).unwrap();
    assert_eq!((processed.width, processed.height), (40, 60));
    assert_eq!((processed.full.width, processed.full.height), (40, 60));
    assert_eq!(processed.full.format, Format::Jpeg);
    // Orientation 6 is "rotate 90° clockwise to view": the stored top-left is now top-right.
    let full = decoded(&processed.full).into_rgb8();
    let top_right = full.get_pixel(35, 5);
    let top_left = full.get_pixel(5, 5);
    assert!(top_right[0] > 200 && top_right[2] < 60, "{top_right:?}");
    assert!(top_left[2] > 200 && top_left[0] < 60, "{top_left:?}");
    assert_no_metadata(&processed);
    // Nothing left to rotate it twice.
    assert_eq!(probe(&processed.full.bytes, &settings()).unwrap().width, 40);
}

#[test]
fn a_jpeg_with_gps_has_no_gps_in_any_output() {
    let jpeg = jpeg_with_metadata(&photo(700, 500), 1);
    assert!(contains(&jpeg, &GPS_SECONDS) && contains(&jpeg, XMP_MARKER));
    let processed = process(&jpeg, &settings()).unwrap();
    assert_eq!((processed.width, processed.height), (700, 500));
    // 320 and 640, each as WebP and JPEG.
    assert_eq!(processed.renditions.len(), 4);
    assert_no_metadata(&processed);
    for output in outputs(&processed) {
        decoded(output);
    }
}

#[test]
fn a_damaged_exif_block_does_not_refuse_the_picture() {
    let jpeg = with_segments(
        &jpeg_of(&photo(50, 40), 80),
        &[(0xE1, b"Exif\0\0MM\0*\0\0\xFF\xFF".to_vec())],
    );
    let processed = process(&jpeg, &settings()).unwrap();
    assert_eq!((processed.width, processed.height), (50, 40));
    assert_no_metadata(&processed);
}

#[test]
fn a_png_and_a_gif_lose_their_text_and_extensions() {
    let mut png = png_of(&DynamicImage::ImageRgb8(photo(400, 300)));
    // tEXt and eXIf before IEND.
    let iend = png.len() - 12;
    let mut extra = Vec::new();
    let mut text = b"Comment\0".to_vec();
    text.extend_from_slice(COMMENT_MARKER);
    png_chunk(&mut extra, b"tEXt", &text);
    png_chunk(&mut extra, b"eXIf", &exif(1, true)[6..]);
    png.splice(iend..iend, extra);
    let processed = process(&png, &settings()).unwrap();
    assert_eq!(processed.full.format, Format::Png);
    assert_no_metadata(&processed);

    let gif = animated_gif(400, 300, 3);
    assert!(contains(&gif, COMMENT_MARKER) && contains(&gif, XMP_MARKER));
    let processed = process(&gif, &settings()).unwrap();
    assert_no_metadata(&processed);
}

#[test]
fn a_display_p3_profile_is_applied_then_dropped() {
    let colour = RgbImage::from_pixel(64, 48, Rgb([90, 160, 60]));
    let plain = jpeg_of(&colour, 95);
    let mut icc = b"ICC_PROFILE\0\x01\x01".to_vec();
    icc.extend_from_slice(&moxcms::ColorProfile::new_display_p3().encode().unwrap());
    let tagged = with_segments(&plain, &[(0xE2, icc)]);
    let centre = |bytes: &[u8]| {
        let processed = process(bytes, &settings()).unwrap();
        assert!(!contains(&processed.full.bytes, b"ICC_PROFILE"));
        *decoded(&processed.full).into_rgb8().get_pixel(32, 24)
    };
    let as_srgb = centre(&plain);
    let from_p3 = centre(&tagged);
    // The same numbers mean a more saturated colour in P3: in sRGB numbers the green stays
    // and the red and blue fall (about 90, 160, 60 → 60, 162, 40).
    assert!(from_p3[1] >= as_srgb[1], "{as_srgb:?} → {from_p3:?}");
    assert!(from_p3[0] + 15 < as_srgb[0], "{as_srgb:?} → {from_p3:?}");
    assert!(from_p3[2] + 10 < as_srgb[2], "{as_srgb:?} → {from_p3:?}");
}

// --- renditions ------------------------------------------------------------------------------

#[test]
fn a_4000_by_3000_photo_gets_every_width_as_webp_and_jpeg() {
    let jpeg = jpeg_of(&photo(4000, 3000), 90);
    let processed = process(&jpeg, &settings()).unwrap();
    assert_eq!(processed.format, Format::Jpeg);
    assert_eq!((processed.width, processed.height), (4000, 3000));
    decoded(&processed.full);
    let sizes: Vec<(Format, u32, u32)> = processed
        .renditions
        .iter()
        .map(|r| (r.format, r.width, r.height))
        .collect();
    let mut expected = Vec::new();
    for (width, height) in [
        (320, 240),
        (640, 480),
        (960, 720),
        (1280, 960),
        (1920, 1440),
    ] {
        expected.push((Format::WebP, width, height));
        expected.push((Format::Jpeg, width, height));
    }
    assert_eq!(sizes, expected);
    for rendition in &processed.renditions {
        decoded(rendition);
    }
    // A lossy WebP (VP8), not a lossless one.
    let webp = &processed.renditions[6];
    assert_eq!(&webp.bytes[12..16], b"VP8 ");
}

#[test]
fn no_rendition_is_wider_than_the_image() {
    let jpeg = jpeg_of(&photo(500, 333), 85);
    let processed = process(&jpeg, &settings()).unwrap();
    let sizes: Vec<(Format, u32, u32)> = processed
        .renditions
        .iter()
        .map(|r| (r.format, r.width, r.height))
        .collect();
    assert_eq!(sizes, [(Format::WebP, 320, 213), (Format::Jpeg, 320, 213)]);
    // An image exactly as wide as a configured width gets no copy of itself.
    let jpeg = jpeg_of(&photo(640, 480), 85);
    let widths: Vec<u32> = process(&jpeg, &settings())
        .unwrap()
        .renditions
        .iter()
        .map(|r| r.width)
        .collect();
    assert_eq!(widths, [320, 320]);
    // Smaller than every width: the full size alone.
    let tiny = process(&jpeg_of(&photo(100, 80), 85), &settings()).unwrap();
    assert!(tiny.renditions.is_empty());
}

#[test]
fn widths_are_taken_in_any_order_once_each() {
    let jpeg = jpeg_of(&photo(1000, 500), 85);
    let custom = Settings {
        widths: vec![800, 0, 200, 800, 1000, 5000],
        ..settings()
    };
    let widths: Vec<(u32, u32)> = process(&jpeg, &custom)
        .unwrap()
        .renditions
        .iter()
        .map(|r| (r.width, r.height))
        .collect();
    assert_eq!(widths, [(200, 100), (200, 100), (800, 400), (800, 400)]);
}

#[test]
fn a_transparent_png_keeps_its_alpha_in_png_and_webp() {
    let image = RgbaImage::from_fn(800, 600, |x, y| {
        if (x / 100 + y / 100) % 2 == 0 {
            Rgba([200, 30, 30, 255])
        } else {
            Rgba([0, 0, 0, 0])
        }
    });
    let processed = process(&png_of(&DynamicImage::ImageRgba8(image)), &settings()).unwrap();
    assert_eq!(processed.full.format, Format::Png);
    assert!(decoded(&processed.full).color().has_alpha());
    let formats: Vec<Format> = processed.renditions.iter().map(|r| r.format).collect();
    assert_eq!(
        formats,
        [Format::WebP, Format::Png, Format::WebP, Format::Png]
    );
    for rendition in &processed.renditions {
        assert!(decoded(rendition).color().has_alpha(), "{rendition:?}");
    }
}

#[test]
fn an_opaque_png_with_an_alpha_channel_gets_renditions_without_one() {
    let image = DynamicImage::ImageRgb8(photo(700, 400)).into_rgba8();
    let processed = process(&png_of(&DynamicImage::ImageRgba8(image)), &settings()).unwrap();
    for rendition in &processed.renditions {
        assert!(!decoded(rendition).color().has_alpha(), "{rendition:?}");
    }
}

#[test]
fn a_16_bit_png_stays_16_bit_at_full_size() {
    let image = DynamicImage::ImageRgb8(photo(400, 300)).into_rgb16();
    let processed = process(&png_of(&DynamicImage::ImageRgb16(image)), &settings()).unwrap();
    assert_eq!(decoded(&processed.full).color(), image::ColorType::Rgb16);
    assert_eq!(
        decoded(&processed.renditions[1]).color(),
        image::ColorType::Rgb8
    );
}

#[test]
fn a_webp_gets_webp_renditions_only_and_keeps_lossless_lossless() {
    let lossy = webp_lossy_of(&photo(700, 500));
    let processed = process(&lossy, &settings()).unwrap();
    assert_eq!(&processed.full.bytes[12..16], b"VP8 ");
    let sizes: Vec<(Format, u32)> = processed
        .renditions
        .iter()
        .map(|r| (r.format, r.width))
        .collect();
    assert_eq!(sizes, [(Format::WebP, 320), (Format::WebP, 640)]);
    for output in outputs(&processed) {
        decoded(output);
    }

    let flat = RgbaImage::from_fn(500, 300, |x, _| Rgba([(x % 256) as u8, 0, 0, 255]));
    let processed = process(&webp_lossless_of(&flat), &settings()).unwrap();
    assert_eq!(&processed.full.bytes[12..16], b"VP8L");
    // Lossless, pixel for pixel.
    assert_eq!(decoded(&processed.full).into_rgba8(), flat);
}

#[test]
fn a_gif_stays_animated_at_full_size_and_its_renditions_are_png_and_webp() {
    let gif = animated_gif(400, 300, 3);
    let processed = process(&gif, &settings()).unwrap();
    assert_eq!(processed.format, Format::Gif);
    assert_eq!(processed.full.format, Format::Gif);
    decoded(&processed.full);
    let mut decoder = gif::DecodeOptions::new()
        .read_info(processed.full.bytes.as_slice())
        .unwrap();
    let mut frames = 0;
    while let Some(frame) = decoder.read_next_frame().unwrap() {
        assert_eq!(frame.delay, 10);
        frames += 1;
    }
    assert_eq!(frames, 3);
    assert_eq!(decoder.repeat(), gif::Repeat::Infinite);
    // The same pixels as the upload's frames.
    let original: Vec<_> = gif::DecodeOptions::new()
        .read_info(gif.as_slice())
        .unwrap()
        .into_iter()
        .map(|f| f.unwrap().buffer.into_owned())
        .collect();
    let rewritten: Vec<_> = gif::DecodeOptions::new()
        .read_info(processed.full.bytes.as_slice())
        .unwrap()
        .into_iter()
        .map(|f| f.unwrap().buffer.into_owned())
        .collect();
    assert_eq!(original, rewritten);

    let sizes: Vec<(Format, u32, u32)> = processed
        .renditions
        .iter()
        .map(|r| (r.format, r.width, r.height))
        .collect();
    assert_eq!(sizes, [(Format::WebP, 320, 240), (Format::Png, 320, 240)]);
    for rendition in &processed.renditions {
        decoded(rendition);
    }
}

#[test]
fn the_placeholder_is_a_blurhash_of_the_picture() {
    let red = RgbImage::from_pixel(300, 200, Rgb([220, 20, 20]));
    let processed = process(&jpeg_of(&red, 90), &settings()).unwrap();
    // 4×3 components: 1 + 1 + 4 + 2 × 11 characters.
    assert_eq!(processed.placeholder.len(), 28, "{}", processed.placeholder);
    let preview = blurhash::decode(&processed.placeholder, 8, 6, 1.0).unwrap();
    let (r, g, b) = (preview[0], preview[1], preview[2]);
    assert!(r > 180 && g < 70 && b < 70, "{r} {g} {b}");

    let portrait = process(&jpeg_of(&photo(200, 300), 90), &settings()).unwrap();
    assert_eq!(portrait.placeholder.len(), 28);
    assert_ne!(portrait.placeholder, processed.placeholder);
}

// --- damaged data ----------------------------------------------------------------------------

#[test]
fn a_truncated_body_is_corrupt() {
    let photo = photo(300, 200);
    let uploads = [
        ("jpeg", jpeg_of(&photo, 90)),
        ("png", png_of(&DynamicImage::ImageRgb8(photo.clone()))),
        ("webp", webp_lossy_of(&photo)),
        ("gif", animated_gif(300, 200, 2)),
    ];
    for (name, bytes) in uploads {
        let half = &bytes[..bytes.len() / 2];
        // The header is whole: the probe passes.
        assert!(probe(half, &settings()).is_ok(), "{name}");
        assert!(
            matches!(process(half, &settings()), Err(PictureError::Corrupt(_))),
            "{name}: {:?}",
            process(half, &settings()).map(|p| p.width)
        );
    }
}

#[test]
fn a_truncated_jpeg_is_caught_past_its_thumbnail_and_data_after_the_end_is_dropped() {
    // EXIF with an embedded thumbnail: a whole JPEG, end marker included, inside APP1.
    let mut app1 = exif(1, false);
    app1.extend_from_slice(&jpeg_of(&photo(16, 12), 70));
    let jpeg = with_segments(&jpeg_of(&photo(300, 200), 90), &[(0xE1, app1)]);
    let cut = &jpeg[..jpeg.len() - 300];
    assert!(matches!(
        process(cut, &settings()),
        Err(PictureError::Corrupt(message)) if message.contains("ends too early")
    ));

    let mut trailing = jpeg.clone();
    trailing.extend_from_slice(b"PK\x03\x04 a zip file appended to the picture");
    let processed = process(&trailing, &settings()).unwrap();
    assert!(!contains(&processed.full.bytes, b"PK\x03\x04"));
    assert!(processed.full.bytes.ends_with(&[0xFF, 0xD9]));
}

#[test]
fn no_truncation_or_flipped_byte_panics() {
    let photo = photo(64, 48);
    let uploads = [
        jpeg_with_metadata(&photo, 6),
        png_of(&DynamicImage::ImageRgb8(photo.clone())),
        webp_lossy_of(&photo),
        webp_lossless_of(&DynamicImage::ImageRgb8(photo.clone()).into_rgba8()),
        animated_gif(64, 48, 2),
    ];
    let settings = settings();
    for bytes in uploads {
        let step = (bytes.len() / 150).max(1);
        for cut in (0..bytes.len()).step_by(step) {
            let damaged = &bytes[..cut];
            // Unguarded: a panic fails the test instead of becoming a refusal.
            if let Ok(probed) = probe(damaged, &settings) {
                let _ = process_probed(damaged, probed, &settings);
            }
            let mut flipped = bytes.clone();
            flipped[cut] ^= 0x55;
            if let Ok(probed) = probe(&flipped, &settings) {
                let _ = process_probed(&flipped, probed, &settings);
            }
        }
    }
}

#[test]
fn refusals_read_well() {
    assert_eq!(
        PictureError::NotAnImage.to_string(),
        "the file is not a JPEG, PNG, WebP or GIF image"
    );
    assert_eq!(
        PictureError::TooManyPixels {
            width: 9000,
            height: 9000,
            max: 50_000_000
        }
        .to_string(),
        "the image is 9000×9000 pixels; at most 50000000 pixels are accepted"
    );
}
