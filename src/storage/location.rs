//! Where the store lives, parsed from one configuration string.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use url::Url;

use super::key::Key;

/// A store location: a local folder, or a bucket (and a key prefix in it) on an
/// S3-compatible server.
///
/// Accepted forms:
/// - a plain path, `/var/lib/masthead/media` or `media` (relative to the working
///   directory), or `file:///var/lib/masthead/media`;
/// - `s3://bucket`, `s3://bucket/some/prefix`, with optional query parameters
///   `endpoint=http://127.0.0.1:9000` (default: AWS for the region), `region=eu-west-1`
///   (default `us-east-1`), `allow_http=true` (required for an `http://` endpoint),
///   `virtual_hosted_style=true` (`https://bucket.endpoint/key` rather than
///   `https://endpoint/bucket/key`).
///
/// Credentials are never part of the URL: see [`S3Credentials`](super::S3Credentials).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreUrl {
    /// Files under this folder (created on open when missing).
    Local(PathBuf),
    /// Objects in an S3 bucket.
    S3(S3Location),
}

/// The S3 side of a [`StoreUrl`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Location {
    pub bucket: String,
    /// Every key is stored under this prefix (`prefix/key`); `None` for the bucket's root.
    pub prefix: Option<Key>,
    /// `scheme://host[:port]` of the S3 API; `None` for AWS itself.
    pub endpoint: Option<String>,
    pub region: String,
    /// Whether plain `http://` is allowed (a local test server, a private network).
    pub allow_http: bool,
    pub virtual_hosted_style: bool,
}

/// The region used when the URL names none (MinIO, Garage and most others accept any).
pub const DEFAULT_REGION: &str = "us-east-1";

/// Why a store URL was refused; the message says what would be accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid media store URL `{url}`: {reason}")]
pub struct InvalidStoreUrl {
    url: String,
    reason: String,
}

fn invalid(url: &str, reason: impl Into<String>) -> InvalidStoreUrl {
    InvalidStoreUrl {
        url: url.to_owned(),
        reason: reason.into(),
    }
}

impl FromStr for StoreUrl {
    type Err = InvalidStoreUrl;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(invalid(
                raw,
                "empty: give a folder path, file:///path or s3://bucket/prefix",
            ));
        }
        let Some((scheme, _)) = raw.split_once("://") else {
            if raw.starts_with("s3:") || raw.starts_with("file:") {
                return Err(invalid(raw, "write s3://bucket or file:///path"));
            }
            return Ok(Self::Local(PathBuf::from(raw)));
        };
        match scheme.to_ascii_lowercase().as_str() {
            "file" => parse_file(raw),
            "s3" => parse_s3(raw).map(Self::S3),
            _ => Err(invalid(
                raw,
                format!("unsupported scheme `{scheme}`: use a folder path, file:///path or s3://bucket/prefix"),
            )),
        }
    }
}

fn parse_file(raw: &str) -> Result<StoreUrl, InvalidStoreUrl> {
    let url = Url::parse(raw).map_err(|error| invalid(raw, error.to_string()))?;
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid(raw, "a file URL has no query or fragment"));
    }
    if !matches!(url.host_str(), None | Some("") | Some("localhost")) {
        return Err(invalid(
            raw,
            "a file URL names a local absolute path: file:///path (three slashes)",
        ));
    }
    url.to_file_path()
        .map(StoreUrl::Local)
        .map_err(|()| invalid(raw, "not a local absolute path"))
}

fn parse_s3(raw: &str) -> Result<S3Location, InvalidStoreUrl> {
    let url = Url::parse(raw).map_err(|error| invalid(raw, error.to_string()))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid(
            raw,
            "credentials do not go in the URL: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
        ));
    }
    if url.port().is_some() {
        return Err(invalid(
            raw,
            "the host of an s3:// URL is the bucket; put the server in `?endpoint=`",
        ));
    }
    if url.fragment().is_some() {
        return Err(invalid(raw, "an s3:// URL has no fragment"));
    }
    let bucket = url.host_str().unwrap_or("").to_owned();
    check_bucket(&bucket).map_err(|reason| invalid(raw, reason))?;
    // The path as written: `Url` would resolve `..` and `.` segments, hiding them.
    let prefix = raw_path(raw);
    let prefix = prefix.strip_prefix('/').unwrap_or(prefix);
    let prefix = prefix.strip_suffix('/').unwrap_or(prefix);
    let prefix = if prefix.is_empty() {
        None
    } else {
        Some(Key::parse(prefix).map_err(|error| {
            invalid(
                raw,
                format!("the prefix follows the key rules: {}", error.reason),
            )
        })?)
    };

    let mut location = S3Location {
        bucket,
        prefix,
        endpoint: None,
        region: DEFAULT_REGION.to_owned(),
        allow_http: false,
        virtual_hosted_style: false,
    };
    let mut seen = Vec::new();
    for (name, value) in url.query_pairs() {
        if seen.contains(&name) {
            return Err(invalid(raw, format!("`{name}` is given twice")));
        }
        match name.as_ref() {
            "endpoint" => location.endpoint = Some(parse_endpoint(&value).map_err(|r| invalid(raw, r))?),
            "region" => {
                if value.is_empty()
                    || !value
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                {
                    return Err(invalid(raw, "`region` is a name like us-east-1"));
                }
                location.region = value.to_string();
            }
            "allow_http" => location.allow_http = parse_bool(&name, &value).map_err(|r| invalid(raw, r))?,
            "virtual_hosted_style" => {
                location.virtual_hosted_style =
                    parse_bool(&name, &value).map_err(|r| invalid(raw, r))?;
            }
            other => {
                return Err(invalid(
                    raw,
                    format!("unknown parameter `{other}`: known are endpoint, region, allow_http, virtual_hosted_style"),
                ))
            }
        }
        seen.push(name);
    }
    if let Some(endpoint) = &location.endpoint {
        if endpoint.starts_with("http://") && !location.allow_http {
            return Err(invalid(
                raw,
                "the endpoint is plain http: add `allow_http=true` if that is intended",
            ));
        }
    }
    Ok(location)
}

/// The path of `scheme://authority/path?query#fragment` exactly as written.
fn raw_path(raw: &str) -> &str {
    let rest = raw.split_once("://").map_or(raw, |(_, rest)| rest);
    let rest = rest.split(['?', '#']).next().unwrap_or("");
    rest.find('/').map_or("", |slash| &rest[slash..])
}

/// S3 bucket naming rules (the portable subset): 3–63 characters of a-z, 0-9, `.` and
/// `-`, starting and ending with a letter or digit.
fn check_bucket(bucket: &str) -> Result<(), &'static str> {
    let ends_ok = |c: Option<char>| c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    if bucket.is_empty() {
        return Err("no bucket: write s3://bucket or s3://bucket/prefix");
    }
    if !(3..=63).contains(&bucket.len())
        || !bucket
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-')
        || !ends_ok(bucket.chars().next())
        || !ends_ok(bucket.chars().last())
        || bucket.contains("..")
    {
        return Err("a bucket name has 3 to 63 characters: a-z, 0-9, `.` and `-`, starting and ending with a letter or digit");
    }
    Ok(())
}

fn parse_endpoint(value: &str) -> Result<String, String> {
    let url = Url::parse(value).map_err(|error| format!("`endpoint` is not a URL: {error}"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err("`endpoint` is an http:// or https:// URL".into());
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err("`endpoint` names a host".into());
    }
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
        return Err(
            "`endpoint` is scheme://host[:port] only (an endpoint with a path: use the URL's prefix instead)"
                .into(),
        );
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("credentials do not go in the endpoint".into());
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

fn parse_bool(name: &str, value: &str) -> Result<bool, String> {
    match value {
        "true" | "1" => Ok(true),
        "false" | "0" => Ok(false),
        _ => Err(format!("`{name}` is true or false")),
    }
}

impl fmt::Display for StoreUrl {
    /// The canonical form, which parses back to the same value.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Local(path) => write!(f, "{}", path.display()),
            Self::S3(s3) => {
                write!(f, "s3://{}", s3.bucket)?;
                if let Some(prefix) = &s3.prefix {
                    write!(f, "/{prefix}")?;
                }
                let mut query = url::form_urlencoded::Serializer::new(String::new());
                if let Some(endpoint) = &s3.endpoint {
                    query.append_pair("endpoint", endpoint);
                }
                query.append_pair("region", &s3.region);
                if s3.allow_http {
                    query.append_pair("allow_http", "true");
                }
                if s3.virtual_hosted_style {
                    query.append_pair("virtual_hosted_style", "true");
                }
                write!(f, "?{}", query.finish())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s3(raw: &str) -> S3Location {
        match raw.parse::<StoreUrl>().unwrap() {
            StoreUrl::S3(location) => location,
            other => panic!("{raw} parsed as {other:?}"),
        }
    }

    fn refused(raw: &str) -> String {
        raw.parse::<StoreUrl>().expect_err(raw).to_string()
    }

    #[test]
    fn paths_and_file_urls_are_local() {
        for (raw, path) in [
            ("/var/lib/masthead/media", "/var/lib/masthead/media"),
            ("media", "media"),
            ("./data/media", "./data/media"),
            ("  /srv/media  ", "/srv/media"),
            ("file:///var/lib/media", "/var/lib/media"),
            ("file://localhost/var/lib/media", "/var/lib/media"),
            ("file:///srv/my%20media", "/srv/my media"),
            ("FILE:///srv/media", "/srv/media"),
        ] {
            assert_eq!(
                raw.parse::<StoreUrl>().unwrap(),
                StoreUrl::Local(PathBuf::from(path)),
                "{raw}"
            );
        }
    }

    #[test]
    fn s3_urls_carry_bucket_prefix_and_options() {
        let location =
            s3("s3://media-bucket/site/a?endpoint=http://127.0.0.1:9000&region=eu-west-3&allow_http=true");
        assert_eq!(
            location,
            S3Location {
                bucket: "media-bucket".into(),
                prefix: Some(Key::parse("site/a").unwrap()),
                endpoint: Some("http://127.0.0.1:9000".into()),
                region: "eu-west-3".into(),
                allow_http: true,
                virtual_hosted_style: false,
            }
        );
        let plain = s3("s3://media.example.com");
        assert_eq!(plain.prefix, None);
        assert_eq!(plain.endpoint, None);
        assert_eq!(plain.region, DEFAULT_REGION);
        assert!(!plain.allow_http);
        assert_eq!(s3("s3://bkt/").prefix, None);
        assert_eq!(
            s3("s3://bkt/p/?endpoint=https://s3.example.net/")
                .endpoint
                .as_deref(),
            Some("https://s3.example.net")
        );
        assert!(s3("s3://bkt?virtual_hosted_style=true").virtual_hosted_style);
    }

    #[test]
    fn display_round_trips() {
        for raw in [
            "s3://bkt/a/b?endpoint=http://127.0.0.1:9000&region=us-east-1&allow_http=true",
            "s3://bkt?region=eu-west-1&virtual_hosted_style=true",
            "/srv/media",
        ] {
            let url: StoreUrl = raw.parse().unwrap();
            assert_eq!(url.to_string().parse::<StoreUrl>().unwrap(), url, "{raw}");
        }
    }

    #[test]
    fn bad_urls_say_what_is_wrong() {
        for (raw, says) in [
            ("", "empty"),
            ("   ", "empty"),
            ("s3:bucket", "s3://bucket"),
            ("s3://", "no bucket"),
            ("s3:///prefix", "no bucket"),
            ("s3://ab", "bucket name"),
            ("s3://Bucket", "bucket name"),
            ("s3://-bucket", "bucket name"),
            ("s3://bucket:9000", "endpoint"),
            ("s3://key:secret@bucket", "AWS_ACCESS_KEY_ID"),
            ("s3://bucket/../x", "prefix"),
            ("s3://bucket/a/./x", "prefix"),
            ("s3://bucket/a/%2e%2e/x", "prefix"),
            ("s3://bucket//a", "prefix"),
            ("s3://bucket/a//b", "prefix"),
            ("s3://bucket/Media", "prefix"),
            (
                "s3://bucket?endpoint=http://127.0.0.1:9000",
                "allow_http=true",
            ),
            ("s3://bucket?endpoint=ftp://x", "http:// or https://"),
            ("s3://bucket?endpoint=127.0.0.1:9000", "endpoint"),
            (
                "s3://bucket?endpoint=https://h/path",
                "scheme://host[:port]",
            ),
            ("s3://bucket?allow_http=yes", "true or false"),
            ("s3://bucket?region=", "region"),
            ("s3://bucket?region=a&region=b", "twice"),
            (
                "s3://bucket?endpont=https://x",
                "unknown parameter `endpont`",
            ),
            ("s3://bucket#frag", "fragment"),
            ("gs://bucket", "unsupported scheme `gs`"),
            ("https://s3.amazonaws.com/bucket", "unsupported scheme"),
            ("file://server/share", "three slashes"),
            ("file:relative", "file:///path"),
            ("file:///srv?x=1", "no query"),
        ] {
            let message = refused(raw);
            assert!(message.contains(says), "{raw}: {message}");
        }
    }
}
