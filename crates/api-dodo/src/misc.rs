//! Endpoints outside any resource: the countries checkout supports.

use axum::Json;
use kassa_core::country::Country;

/// `GET /checkout/supported_countries`: public (the SDKs still send a key,
/// which is ignored), a bare array of alpha-2 codes.
#[utoipa::path(get, path = "/checkout/supported_countries", tag = "Dodo Payments",
    operation_id = "get_supported_countries_proxy", summary = "List supported countries",
    responses((status = 200, description = "Every ISO 3166-1 alpha-2 code checkout accepts.", body = Vec<crate::openapi::CountryCode>)))]
pub async fn supported_countries() -> Json<Vec<String>> {
    Json(Country::all().map(String::from).collect())
}
