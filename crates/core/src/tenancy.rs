//! Tenancy: businesses own everything; API keys act for one business in one mode.

use std::fmt;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::id::{ApiKeyId, BusinessId};

/// Test and live data never mix: every object and key belongs to one mode.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    Test,
    Live,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Test => "test",
            Mode::Live => "live",
        }
    }

    pub fn parse(s: &str) -> Option<Mode> {
        match s {
            "test" => Some(Mode::Test),
            "live" => Some(Mode::Live),
            _ => None,
        }
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which tenant and mode a request acts in. Every store call takes one, so
/// no query can reach another business's objects.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct Scope {
    pub business: BusinessId,
    pub mode: Mode,
}

#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct Business {
    pub id: BusinessId,
    pub name: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// A stored API key. The secret itself is never stored: only its SHA-256
/// (`secret_hash`) and a short prefix to recognise it in listings.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ApiKey {
    pub id: ApiKeyId,
    pub business: BusinessId,
    pub mode: Mode,
    pub secret_hash: String,
    pub display_prefix: String,
    pub created_at: OffsetDateTime,
    /// When it stopped working; a revoked key never works again.
    pub revoked_at: Option<OffsetDateTime>,
    /// When it last authenticated a request, to the minute (it is
    /// recorded at most once a minute per node).
    pub last_used_at: Option<OffsetDateTime>,
}

impl ApiKey {
    pub fn scope(&self) -> Scope {
        Scope {
            business: self.business.clone(),
            mode: self.mode,
        }
    }
}
