//! Tenancy bootstrap and API keys: minting, hashing, authenticating.
//!
//! A secret is `sk_<mode>_` + 32 base62 characters. Only its SHA-256 is
//! stored, so a leaked database does not leak usable keys; the secret is
//! returned once, at creation. A key can be revoked; every node re-reads
//! a key it has cached within [`KEY_RECHECK`], so a revocation holds
//! everywhere within a second.

use kassa_core::catalog::{Brand, BrandDraft};
use kassa_core::id::{ApiKeyId, BrandId, BusinessId, random_base62};
use kassa_core::tenancy::{ApiKey, Business, Mode, Scope};
use sha2::{Digest, Sha256};

use crate::{App, AppError};

const SECRET_LEN: usize = 32;

/// How long a node trusts a key it has read before reading it again.
pub(crate) const KEY_RECHECK: std::time::Duration = std::time::Duration::from_secs(1);

/// How stale a key's `last_used_at` may get: it is written at most this
/// often, so using a key costs no write per request.
const LAST_USED_GRAIN: time::Duration = time::Duration::minutes(1);

/// A key this node has verified, and when it last read it.
pub(crate) struct KnownKey {
    scope: Scope,
    read_at: std::time::Instant,
}

/// A freshly minted key: the stored record and the one-time secret.
pub struct IssuedKey {
    pub key: ApiKey,
    pub secret: String,
}

/// Lower-case hex SHA-256; runs on every authenticated request.
fn hash_secret(secret: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digest = Sha256::digest(secret.as_bytes());
    let mut out = String::with_capacity(digest.len() * 2);
    for b in digest {
        out.push(HEX[usize::from(b >> 4)] as char);
        out.push(HEX[usize::from(b & 0xf)] as char);
    }
    out
}

impl App {
    /// The scope an `Authorization: Bearer` secret acts in.
    pub async fn authenticate(&self, secret: &str) -> Result<Scope, AppError> {
        let well_formed = (secret.starts_with("sk_test_") || secret.starts_with("sk_live_"))
            && secret.len() == 8 + SECRET_LEN;
        if !well_formed {
            return Err(AppError::Unauthorized);
        }
        let hash = hash_secret(secret);
        if let Some(known) = self.known_keys.read().expect("key cache").get(&hash)
            && known.read_at.elapsed() < KEY_RECHECK
        {
            return Ok(known.scope.clone());
        }
        let key = match self.store.find_api_key(&hash).await? {
            Some(key) if key.revoked_at.is_none() => key,
            _ => {
                self.known_keys.write().expect("key cache").remove(&hash);
                return Err(AppError::Unauthorized);
            }
        };
        let now = self.now();
        if key
            .last_used_at
            .is_none_or(|at| now - at >= LAST_USED_GRAIN)
        {
            self.store.touch_api_key(&key.id, now).await?;
        }
        let scope = key.scope();
        let known = KnownKey {
            scope: scope.clone(),
            read_at: std::time::Instant::now(),
        };
        self.known_keys
            .write()
            .expect("key cache")
            .insert(hash, known);
        Ok(scope)
    }

    /// The business's keys in both modes, oldest first (hashes, never
    /// secrets).
    pub async fn api_keys(&self, business: &BusinessId) -> Result<Vec<ApiKey>, AppError> {
        Ok(self.store.list_api_keys(business).await?)
    }

    /// Revokes the business's key `id`: refused on this node at once and
    /// on every other within [`KEY_RECHECK`]. Revoking it again changes
    /// nothing.
    pub async fn revoke_api_key(
        &self,
        business: &BusinessId,
        id: &ApiKeyId,
    ) -> Result<ApiKey, AppError> {
        let key = self
            .store
            .revoke_api_key(business, id, self.now())
            .await?
            .ok_or_else(|| AppError::not_found("API key", id))?;
        self.known_keys
            .write()
            .expect("key cache")
            .remove(&key.secret_hash);
        Ok(key)
    }

    /// Creates a business with a primary brand in each mode.
    pub async fn create_business(&self, name: &str) -> Result<Business, AppError> {
        let now = self.now();
        let business = Business {
            id: BusinessId::generate(),
            name: kassa_core::text::required("name", name, 100)?,
            created_at: now,
        };
        let mut brands = Vec::new();
        for mode in [Mode::Test, Mode::Live] {
            let draft = BrandDraft {
                name: Some(business.name.clone()),
                ..BrandDraft::default()
            };
            let brand = Brand::create(BrandId::generate(), business.id.clone(), draft, true, now)?;
            brands.push((mode, brand));
        }
        self.store.create_business(&business, &brands).await?;
        Ok(business)
    }

    /// Mints a key for `business` in `mode`.
    pub async fn issue_api_key(
        &self,
        business: &BusinessId,
        mode: Mode,
    ) -> Result<IssuedKey, AppError> {
        if self.store.get_business(business).await?.is_none() {
            return Err(AppError::not_found("business", business));
        }
        let secret = format!("sk_{}_{}", mode.as_str(), random_base62(SECRET_LEN));
        let key = ApiKey {
            id: ApiKeyId::generate(),
            business: business.clone(),
            mode,
            secret_hash: hash_secret(&secret),
            display_prefix: secret[..12].to_owned(),
            created_at: self.now(),
            revoked_at: None,
            last_used_at: None,
        };
        self.store.insert_api_key(&key).await?;
        Ok(IssuedKey { key, secret })
    }

    /// On an empty store, creates the demo business and its first test key.
    /// Returns `None` when businesses already exist (nothing is printed twice).
    pub async fn bootstrap(&self) -> Result<Option<(Business, IssuedKey)>, AppError> {
        if !self.store.list_businesses().await?.is_empty() {
            return Ok(None);
        }
        let business = self.create_business("Demo Business").await?;
        let key = self.issue_api_key(&business.id, Mode::Test).await?;
        Ok(Some((business, key)))
    }

    /// The business's name, as its pages show it.
    pub(crate) async fn business_name(&self, id: &BusinessId) -> Result<String, AppError> {
        Ok(self
            .store
            .get_business(id)
            .await?
            .map(|b| b.name)
            .unwrap_or_default())
    }

    pub async fn businesses(&self) -> Result<Vec<Business>, AppError> {
        Ok(self.store.list_businesses().await?)
    }
}
