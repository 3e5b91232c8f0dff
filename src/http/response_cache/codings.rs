//! The forms of a cached body. An entry keeps its body in brotli (a generated article: 3,128
//! bytes plain, 537 coded), so the cache's memory holds about five times the pages it held
//! plain; a hit asking for another form (plain, gzip) gets it made once, then kept with the
//! entry. Before, `Compress` encoded each hit again (a cached article took 3 times as long
//! to serve gzipped as plain, brotli 3.5 times), and nearly every browser and app asks for
//! one of these two codings.

use actix_web::dev::ServiceRequest;
use actix_web::http::header::{AcceptEncoding, Encoding, Header, HeaderValue};
use actix_web::web::Bytes;
use std::io::{Read, Write};

/// The largest body kept coded. Coding runs on the worker thread that serves the request
/// (brotli at quality 5 takes milliseconds per 100 KB); a larger body is kept plain and
/// left to `Compress`, which codes it off the worker, per answer, as before.
pub const MAX_CODED_BODY: usize = 64 * 1024;

/// A coding the cache serves from its own bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Coding {
    Brotli,
    Gzip,
}

/// The coding an entry keeps its body in (up to [`MAX_CODED_BODY`]): what browsers ask for
/// first, and the smallest.
pub const KEPT: Coding = Coding::Brotli;

/// Whether a body of this type is worth keeping coded: text, not an image or an archive
/// that is compressed already.
pub fn worth_coding(content_type: &HeaderValue) -> bool {
    let essence = content_type.to_str().unwrap_or("").to_ascii_lowercase();
    essence.starts_with("text/") || essence.contains("json") || essence.contains("xml")
}

/// The forms of a body: plain and each [`Coding`].
pub const FORMS: usize = 3;

/// Where a form (`None`: plain) sits among an entry's [`FORMS`].
pub fn slot(coding: Option<Coding>) -> usize {
    match coding {
        None => 0,
        Some(Coding::Brotli) => 1,
        Some(Coding::Gzip) => 2,
    }
}

impl Coding {
    /// Its `Content-Encoding`.
    pub fn header_value(self) -> HeaderValue {
        HeaderValue::from_static(match self {
            Coding::Brotli => "br",
            Coding::Gzip => "gzip",
        })
    }

    /// `body` in this coding. Once per entry, so tighter settings than `Compress` uses
    /// per answer (brotli 3, gzip's fastest).
    pub fn encode(self, body: &[u8]) -> std::io::Result<Bytes> {
        let mut out = Vec::with_capacity(body.len() / 3);
        match self {
            Coding::Brotli => {
                let mut writer = brotli::CompressorWriter::new(&mut out, 4096, 5, 22);
                writer.write_all(body)?;
                // Ends the stream.
                writer.into_inner();
            }
            Coding::Gzip => {
                let mut writer =
                    flate2::write::GzEncoder::new(&mut out, flate2::Compression::default());
                writer.write_all(body)?;
                writer.finish()?;
            }
        }
        // Spare capacity would be kept alive with the entry, uncounted.
        out.shrink_to_fit();
        Ok(Bytes::from(out))
    }

    /// The plain body of `coded`, made by [`Coding::encode`].
    pub fn decode(self, coded: &[u8]) -> std::io::Result<Bytes> {
        let mut out = Vec::with_capacity(coded.len() * 6);
        match self {
            Coding::Brotli => {
                brotli::BrotliDecompress(&mut &coded[..], &mut out)?;
            }
            Coding::Gzip => {
                flate2::read::GzDecoder::new(coded).read_to_end(&mut out)?;
            }
        }
        out.shrink_to_fit();
        Ok(Bytes::from(out))
    }
}

/// What `Compress` (outside this layer) would choose for `req`, when it is one of ours:
/// the same negotiation over the same codings, so a client gets the coding it would get
/// from a miss. `None`: plain, or a coding `Compress` makes itself (zstd, deflate), or
/// none acceptable (its 406).
pub fn negotiated(req: &ServiceRequest) -> Option<Coding> {
    let accepted = AcceptEncoding::parse(req).ok()?;
    let supported = [
        Encoding::identity(),
        Encoding::brotli(),
        Encoding::gzip(),
        Encoding::deflate(),
        Encoding::zstd(),
    ];
    let chosen = accepted.negotiate(supported.iter())?;
    if chosen == Encoding::brotli() {
        Some(Coding::Brotli)
    } else if chosen == Encoding::gzip() {
        Some(Coding::Gzip)
    } else {
        None
    }
}
