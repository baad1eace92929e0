//! Endpoints outside any resource: the countries checkout supports.

use axum::Json;
use kassa_core::country::Country;

/// `GET /checkout/supported_countries`: public (the SDKs still send a key,
/// which is ignored), a bare array of alpha-2 codes.
pub async fn supported_countries() -> Json<Vec<String>> {
    Json(Country::all().map(String::from).collect())
}
