//! Where webhooks may be sent: an http(s) URL, and, in live mode unless the
//! operator allows it, never a private, loopback or link-local address.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use serde::{Deserialize, Serialize};
use url::{Host, Url};

use crate::DomainError;
use crate::tenancy::Mode;

/// An endpoint's URL, parsed: http or https, with a host, no credentials.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EndpointUrl(Url);

impl EndpointUrl {
    pub fn parse(text: &str) -> Result<EndpointUrl, DomainError> {
        let bad = |why: &str| DomainError::invalid("url", format!("`{text}` {why}"));
        let trimmed = text.trim();
        // The URL parser would percent-encode a space, a control or a
        // non-ASCII character inside; in an endpoint's URL that is a typo
        // or a name the merchant should write in its ASCII form.
        if !trimmed.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(bad(
                "is not a URL: write it in printable ASCII without spaces (percent-encode the rest)",
            ));
        }
        let url = Url::parse(trimmed).map_err(|_| bad("is not a URL"))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(bad("must use http or https"));
        }
        match url.host() {
            None => return Err(bad("has no host")),
            // A name of letters, digits, `-` and dots; the URL parser lets
            // through more (`*`, `_`), which no resolver answers for.
            Some(Host::Domain(name))
                if !name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.') =>
            {
                return Err(bad(
                    "has a host name that is not letters, digits, `-` and dots",
                ));
            }
            Some(_) => {}
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(bad("must not carry credentials"));
        }
        Ok(EndpointUrl(url))
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    pub fn host(&self) -> Host<&str> {
        self.0.host().expect("parsed URLs have a host")
    }

    pub fn port(&self) -> u16 {
        self.0.port_or_known_default().unwrap_or(80)
    }

    /// The address literal in the URL, or the loopback a `localhost` name
    /// means; `None` for other names (they are checked once resolved).
    pub fn literal_ip(&self) -> Option<IpAddr> {
        match self.host() {
            Host::Ipv4(ip) => Some(IpAddr::V4(ip)),
            Host::Ipv6(ip) => Some(IpAddr::V6(ip)),
            Host::Domain(name) => {
                let name = name.trim_end_matches('.').to_ascii_lowercase();
                (name == "localhost" || name.ends_with(".localhost"))
                    .then_some(IpAddr::V4(Ipv4Addr::LOCALHOST))
            }
        }
    }
}

impl TryFrom<String> for EndpointUrl {
    type Error = DomainError;
    fn try_from(value: String) -> Result<Self, DomainError> {
        EndpointUrl::parse(&value)
    }
}

impl From<EndpointUrl> for String {
    fn from(u: EndpointUrl) -> String {
        u.0.into()
    }
}

/// Whether private targets are allowed, per mode.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum PrivateTargets {
    /// Allowed in test mode, refused in live mode (the default).
    TestOnly,
    Always,
    Never,
}

impl PrivateTargets {
    pub fn parse(text: &str) -> Result<PrivateTargets, DomainError> {
        match text {
            "test-only" => Ok(PrivateTargets::TestOnly),
            "always" => Ok(PrivateTargets::Always),
            "never" => Ok(PrivateTargets::Never),
            other => Err(DomainError::invalid(
                "webhook private targets",
                format!("`{other}` is not one of test-only, always, never"),
            )),
        }
    }

    pub fn allowed(self, mode: Mode) -> bool {
        match self {
            PrivateTargets::TestOnly => mode == Mode::Test,
            PrivateTargets::Always => true,
            PrivateTargets::Never => false,
        }
    }

    /// Refuses `ip` when it is private and the policy forbids it in `mode`.
    pub fn check(self, mode: Mode, ip: IpAddr) -> Result<(), DomainError> {
        if is_private(ip) && !self.allowed(mode) {
            return Err(DomainError::invalid(
                "url",
                format!(
                    "{ip} is not a globally routable address, refused in {} mode",
                    mode.as_str()
                ),
            ));
        }
        Ok(())
    }
}

/// Whether `ip` is anything but a globally routable unicast address:
/// loopback, private, link-local, shared (CGNAT), documentation,
/// benchmarking, reserved, multicast, or an IPv6 form that carries or
/// translates an IPv4 address (IPv4-compatible, NAT64, 6to4, Teredo) and so
/// could reach a private one. IPv6 is allowed only inside 2000::/3, the
/// global unicast space, minus its special blocks; an IPv4-mapped address
/// is judged as the IPv4 address it maps.
pub fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => !global_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => !global_v4(v4),
            None => !global_v6(v6),
        },
    }
}

fn global_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    let special = a == 0                                // "this network"
        || a == 10                                      // private
        || (a == 100 && (64..128).contains(&b))         // shared (CGNAT)
        || a == 127                                     // loopback
        || (a == 169 && b == 254)                       // link-local
        || (a == 172 && (16..32).contains(&b))          // private
        || (a == 192 && b == 0 && c == 0)               // IETF protocol assignments
        || (a == 192 && b == 0 && c == 2)               // documentation
        || (a == 192 && b == 88 && c == 99)             // 6to4 relay anycast
        || (a == 192 && b == 168)                       // private
        || (a == 198 && (18..20).contains(&b))          // benchmarking
        || (a == 198 && b == 51 && c == 100)            // documentation
        || (a == 203 && b == 0 && c == 113)             // documentation
        || a >= 224; // multicast, reserved and broadcast
    !special
}

fn global_v6(ip: Ipv6Addr) -> bool {
    let [s0, s1, s2, ..] = ip.segments();
    let global_unicast = (s0 & 0xe000) == 0x2000; // 2000::/3
    let special = s0 == 0x2002                      // 6to4: an IPv4 inside
        || (s0 == 0x2001 && s1 == 0x0000)           // Teredo
        || (s0 == 0x2001 && s1 == 0x0002 && s2 == 0) // benchmarking
        || (s0 == 0x2001 && (s1 & 0xfff0) == 0x0010) // ORCHID
        || (s0 == 0x2001 && s1 == 0x0db8); // documentation
    global_unicast && !special
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_and_https_urls_with_a_host_are_endpoints() {
        assert!(EndpointUrl::parse("https://example.com/hook").is_ok());
        assert!(EndpointUrl::parse("http://127.0.0.1:9000/").is_ok());
        for bad in [
            "not a url",
            "ftp://example.com/",
            "mailto:a@b.c",
            "https://u:p@x.io/",
        ] {
            assert!(EndpointUrl::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn private_targets_are_refused_in_live_mode_by_default_and_allowed_in_test_mode() {
        let policy = PrivateTargets::TestOnly;
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "192.168.0.1",
            "169.254.1.1",
            "::1",
            "fd00::1",
            "100.64.0.1",
        ] {
            let ip: IpAddr = ip.parse().unwrap();
            assert!(policy.check(Mode::Live, ip).is_err(), "{ip}");
            assert!(policy.check(Mode::Test, ip).is_ok(), "{ip}");
        }
        let public: IpAddr = "93.184.216.34".parse().unwrap();
        assert!(PrivateTargets::Never.check(Mode::Live, public).is_ok());
        assert!(
            PrivateTargets::Never
                .check(Mode::Test, "127.0.0.1".parse().unwrap())
                .is_err()
        );
        assert!(
            PrivateTargets::Always
                .check(Mode::Live, "127.0.0.1".parse().unwrap())
                .is_ok()
        );
    }

    #[test]
    fn only_globally_routable_addresses_are_public() {
        for ip in [
            "::127.0.0.1",
            "64:ff9b::7f00:1",
            "64:ff9b::a9fe:a9fe",
            "2002:7f00:1::",
            "2001:0:4136:e378:8000:63bf:3fff:fdd2",
            "2001:db8::1",
            "fec0::1",
            "ff02::1",
            "::ffff:10.0.0.1",
            "198.18.0.1",
            "192.0.0.1",
            "192.0.2.1",
            "240.0.0.1",
            "224.0.0.1",
            "255.255.255.255",
        ] {
            let ip: IpAddr = ip.parse().unwrap();
            assert!(is_private(ip), "{ip} must not count as public");
        }
        for ip in [
            "93.184.216.34",
            "8.8.8.8",
            "2606:4700::1111",
            "::ffff:1.1.1.1",
        ] {
            let ip: IpAddr = ip.parse().unwrap();
            assert!(!is_private(ip), "{ip} is a public address");
        }
    }

    #[test]
    fn localhost_names_count_as_loopback_literals() {
        let url = EndpointUrl::parse("http://localhost:3000/x").unwrap();
        assert_eq!(url.literal_ip(), Some(IpAddr::V4(Ipv4Addr::LOCALHOST)));
        assert_eq!(
            EndpointUrl::parse("https://example.com")
                .unwrap()
                .literal_ip(),
            None
        );
    }
}
