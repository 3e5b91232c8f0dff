//! The compressed forms of a cached body. Compressing happens once per entry and coding, on
//! the first hit that asks for it, instead of on every hit: `Compress` encodes each answer
//! it is handed (a cached article took 3 times as long to serve gzipped as plain, brotli
//! 3.5 times), and nearly every browser and app asks for one of these two.

use actix_web::dev::ServiceRequest;
use actix_web::http::header::{AcceptEncoding, ContentEncoding, Encoding, Header};
use actix_web::web::Bytes;
use std::io::Write;

/// The largest body kept coded. Coding runs on the worker thread that serves the hit
/// (brotli at quality 5 takes milliseconds per 100 KB); a larger body is left to `Compress`,
/// which codes it off the worker, per answer, as before.
pub const MAX_CODED_BODY: usize = 64 * 1024;

/// A coding kept beside an entry's plain body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Coding {
    Brotli,
    Gzip,
}

impl Coding {
    pub fn index(self) -> usize {
        self as usize
    }

    pub fn content_encoding(self) -> ContentEncoding {
        match self {
            Coding::Brotli => ContentEncoding::Brotli,
            Coding::Gzip => ContentEncoding::Gzip,
        }
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
