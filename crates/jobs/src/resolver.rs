//! The resolver of deliveries that may reach public addresses only: a
//! name is resolved once, here, and only its globally routable addresses
//! are given to the connection. Checking a name's addresses and then
//! letting the HTTP client resolve it again would let a name that changes
//! its answer in between (DNS rebinding) pass the check and still connect
//! to a private address.

use std::net::SocketAddr;

use kassa_core::webhook::is_private;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// Resolves with the system resolver and drops every address that is not
/// globally routable; a name left with none fails to connect.
pub(crate) struct GlobalOnly;

impl Resolve for GlobalOnly {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_owned();
        Box::pin(async move {
            // The port is the URL's; reqwest sets it on what is returned.
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await?
                .filter(|a| !is_private(a.ip()))
                .collect();
            if found.is_empty() {
                return Err(format!("{host} has no globally routable address").into());
            }
            Ok(Box::new(found.into_iter()) as Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[tokio::test]
    async fn a_name_of_loopback_addresses_only_resolves_to_nothing() {
        let name = Name::from_str("localhost").unwrap();
        let err = GlobalOnly.resolve(name).await.err().expect("refused");
        assert!(
            err.to_string().contains("no globally routable address"),
            "{err}"
        );
    }
}
