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
                    "{ip} is a private or loopback address, refused in {} mode",
                    mode.as_str()
                ),
            ));
        }
        Ok(())
    }
}

/// Loopback, private, link-local, unspecified, shared (CGNAT) or
/// unique-local: anything that is not a public internet address.
pub fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => private_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => private_v4(v4),
            None => private_v6(v6),
        },
    }
}

fn private_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || (a == 100 && (64..128).contains(&b))
        || a == 0
}

fn private_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    ip.is_loopback()
        || ip.is_unspecified()
        || (first & 0xfe00) == 0xfc00
        || (first & 0xffc0) == 0xfe80
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
