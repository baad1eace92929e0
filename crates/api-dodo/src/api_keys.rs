//! `/kassa/api-keys`: Kassa's own extra (Dodo manages keys in its
//! dashboard) to list the caller's keys and revoke one. A key sees and
//! revokes the keys of its own business and mode only; a revoked key is
//! refused on every node within a second, and may revoke itself.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use kassa_app::{App, AppError};
use kassa_core::id::ApiKeyId;
use kassa_core::tenancy::ApiKey;
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};

use crate::ApiError;
use crate::extract::{Caller, path_id};
use crate::wire::ts;

/// A key as listed: never its secret, only the start of it.
#[derive(Serialize, ToSchema)]
pub(crate) struct ApiKeyOut {
    id: String,
    /// The first 12 characters of the secret (`sk_test_abcd`).
    display_prefix: String,
    #[schema(value_type = crate::openapi::Rfc3339)]
    created_at: String,
    #[schema(value_type = Option<crate::openapi::Rfc3339>)]
    revoked_at: Option<String>,
    /// To the minute.
    #[schema(value_type = Option<crate::openapi::Rfc3339>)]
    last_used_at: Option<String>,
}

impl From<&ApiKey> for ApiKeyOut {
    fn from(k: &ApiKey) -> ApiKeyOut {
        ApiKeyOut {
            id: k.id.to_string(),
            display_prefix: k.display_prefix.clone(),
            created_at: ts(k.created_at),
            revoked_at: k.revoked_at.map(ts),
            last_used_at: k.last_used_at.map(ts),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub(crate) struct ApiKeysOut {
    items: Vec<ApiKeyOut>,
}

/// The `{key_id}` of a key route.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)] // a parameter description only
pub(crate) struct KeyPath {
    #[param(pattern = r"^key_[0-9A-Za-z]{21}$")]
    key_id: String,
}

#[utoipa::path(get, path = "/kassa/api-keys", tag = "Kassa", operation_id = "kassa_list_api_keys",
    summary = "List the business's API keys of the caller's mode", security(("bearer" = [])),
    responses((status = 200, description = "The keys, oldest first.", body = ApiKeysOut)))]
pub(crate) async fn list(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
) -> Result<Json<ApiKeysOut>, ApiError> {
    let keys = app.api_keys(&scope.business).await?;
    Ok(Json(ApiKeysOut {
        items: keys
            .iter()
            .filter(|k| k.mode == scope.mode)
            .map(ApiKeyOut::from)
            .collect(),
    }))
}

#[utoipa::path(post, path = "/kassa/api-keys/{key_id}/revoke", tag = "Kassa", operation_id = "kassa_revoke_api_key",
    summary = "Revoke an API key", security(("bearer" = [])), params(KeyPath),
    responses((status = 200, description = "The key, revoked.", body = ApiKeyOut)))]
pub(crate) async fn revoke(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Path(id): Path<String>,
) -> Result<Json<ApiKeyOut>, ApiError> {
    let id = path_id("API key", &id, ApiKeyId::parse)?;
    let mine = app
        .api_keys(&scope.business)
        .await?
        .iter()
        .any(|k| k.id == id && k.mode == scope.mode);
    if !mine {
        return Err(AppError::not_found("API key", &id).into());
    }
    let key = app.revoke_api_key(&scope.business, &id).await?;
    Ok(Json(ApiKeyOut::from(&key)))
}
