//! Who the client is, for per-address limits (the login throttle). Behind a reverse proxy
//! every request comes from the proxy, so the address it forwards is used, but only when
//! the peer is a proxy the operator named: anyone else could write `X-Forwarded-For`.

use std::net::IpAddr;

use actix_web::HttpRequest;

/// The proxies whose `X-Forwarded-For` is believed (none by default): addresses or
/// networks (`10.0.0.0/8`, `fd00::/8`).
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Vec<Network>);

/// An address and how many of its leading bits must match (32 or 128: one address).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Network {
    address: IpAddr,
    prefix: u32,
}

impl Network {
    fn parse(entry: &str) -> Option<Self> {
        let (address, prefix) = match entry.split_once('/') {
            Some((address, prefix)) => {
                (address.parse::<IpAddr>().ok()?, Some(prefix.parse().ok()?))
            }
            None => (entry.parse::<IpAddr>().ok()?, None),
        };
        let width = if address.is_ipv4() { 32 } else { 128 };
        let prefix = prefix.unwrap_or(width);
        (prefix <= width).then_some(Self { address, prefix })
    }

    fn contains(&self, candidate: &IpAddr) -> bool {
        let bits = |address: &IpAddr| match address {
            IpAddr::V4(v4) => u128::from(u32::from(*v4)) << 96,
            IpAddr::V6(v6) => u128::from(*v6),
        };
        if self.address.is_ipv4() != candidate.is_ipv4() {
            return false;
        }
        // Both kinds sit in the top bits, so a prefix masks the same way for either.
        let mask = u128::MAX.checked_shl(128 - self.prefix).unwrap_or(0);
        bits(&self.address) & mask == bits(candidate) & mask
    }
}

impl TrustedProxies {
    /// A comma-separated list of IP addresses or networks; empty for none.
    pub fn parse(list: &str) -> Result<Self, String> {
        list.split(',')
            .map(str::trim)
            .filter(|entry| !entry.is_empty())
            .map(|entry| {
                Network::parse(entry).ok_or_else(|| {
                    format!("trusted proxy `{entry}` is not an IP address or network")
                })
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Self)
    }

    /// These single addresses.
    pub fn new(addresses: Vec<IpAddr>) -> Self {
        Self(
            addresses
                .into_iter()
                .map(|address| Network {
                    address,
                    prefix: if address.is_ipv4() { 32 } else { 128 },
                })
                .collect(),
        )
    }

    fn trusts(&self, address: &IpAddr) -> bool {
        self.0.iter().any(|network| network.contains(address))
    }

    /// The client's address: the peer's, unless the peer is a trusted proxy; then the
    /// right-most `X-Forwarded-For` entry that is not itself a trusted proxy (entries
    /// further left were written by the client and prove nothing).
    pub fn client_of(&self, req: &HttpRequest) -> String {
        let Some(peer) = req.peer_addr().map(|addr| addr.ip()) else {
            return String::new();
        };
        if !self.trusts(&peer) {
            return peer.to_string();
        }
        let forwarded = req
            .headers()
            .get_all("x-forwarded-for")
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .map(str::trim)
            .filter_map(|entry| entry.parse::<IpAddr>().ok())
            .collect::<Vec<_>>();
        forwarded
            .into_iter()
            .rev()
            .find(|address| !self.trusts(address))
            .unwrap_or(peer)
            .to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn only_a_trusted_peer_is_believed() {
        let proxies = TrustedProxies::parse("10.0.0.1, ::1, 172.28.0.0/16").unwrap_or_default();
        let from = |peer: &str, forwarded: &str| {
            let req = TestRequest::default()
                .peer_addr(
                    format!("{peer}:1234")
                        .parse()
                        .unwrap_or_else(|_| std::net::SocketAddr::from(([0, 0, 0, 0], 0))),
                )
                .insert_header(("x-forwarded-for", forwarded))
                .to_http_request();
            proxies.client_of(&req)
        };
        assert_eq!(from("10.0.0.1", "203.0.113.9"), "203.0.113.9");
        assert_eq!(
            from("10.0.0.1", "1.1.1.1, 203.0.113.9, 10.0.0.1"),
            "203.0.113.9"
        );
        assert_eq!(from("198.51.100.7", "203.0.113.9"), "198.51.100.7");
        assert_eq!(from("10.0.0.1", "not an address"), "10.0.0.1");
        assert_eq!(from("172.28.3.4", "203.0.113.9"), "203.0.113.9");
        assert_eq!(from("172.29.3.4", "203.0.113.9"), "172.29.3.4");
        assert!(TrustedProxies::parse("10.0.0.1,nonsense").is_err());
        assert!(TrustedProxies::parse("10.0.0.0/33").is_err());
    }
}
