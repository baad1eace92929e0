//! `/customers/{customer_id}/payment-methods`: a customer's saved cards,
//! listed and removed.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use kassa_app::App;
use kassa_core::id::{CustomerId, PaymentMethodId};
use kassa_core::payment::SavedMethod;
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};

use crate::ApiError;
use crate::extract::{Caller, path_id};
use crate::wire::{Items, ts_opt};

#[derive(Serialize, ToSchema)]
pub struct CardOut {
    card_holder_name: Option<String>,
    card_issuing_country: Option<String>,
    card_network: Option<String>,
    card_type: Option<String>,
    expiry_month: Option<String>,
    expiry_year: Option<String>,
    last4_digits: Option<String>,
}

/// `CustomerPaymentMethodItem`.
#[derive(Serialize, ToSchema)]
pub struct MethodOut {
    payment_method_id: String,
    #[schema(value_type = String)]
    payment_method: &'static str,
    payment_method_type: Option<String>,
    card: Option<CardOut>,
    #[schema(format = DateTime)]
    last_used_at: Option<String>,
    recurring_enabled: Option<bool>,
}

/// The `{customer_id}/…/{payment_method_id}` of a saved method.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)]
struct MethodPath {
    /// A customer id (`cus_…`).
    customer_id: String,
    /// A saved payment method id (`pm_…`).
    payment_method_id: String,
}

fn method_out(m: SavedMethod) -> MethodOut {
    MethodOut {
        payment_method_id: m.id.to_string(),
        payment_method: "card",
        payment_method_type: Some(m.method_type),
        card: Some(CardOut {
            card_holder_name: m.card.holder,
            card_issuing_country: None,
            card_network: Some(m.card.network),
            card_type: Some(m.card.card_type),
            expiry_month: Some(format!("{:02}", m.card.exp_month)),
            expiry_year: Some(m.card.exp_year.to_string()),
            last4_digits: Some(m.card.last_four),
        }),
        last_used_at: ts_opt(m.last_used_at),
        recurring_enabled: Some(true),
    }
}

#[utoipa::path(get, path = "/customers/{customer_id}/payment-methods", tag = "Dodo Payments", operation_id = "get_customer_payment_methods",
    summary = "List a customer's saved payment methods", security(("bearer" = [])), params(crate::customers::CustomerPath),
    responses((status = 200, description = "Every saved card of the customer.", body = Items<MethodOut>)))]
pub async fn list(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Path(customer): Path<String>,
) -> Result<Json<Items<MethodOut>>, ApiError> {
    let customer = path_id("customer", &customer, CustomerId::parse)?;
    let methods = app.list_saved_methods(&scope, &customer).await?;
    Ok(Json(Items {
        items: methods.into_iter().map(method_out).collect(),
    }))
}

#[utoipa::path(delete, path = "/customers/{customer_id}/payment-methods/{payment_method_id}", tag = "Dodo Payments", operation_id = "delete_customer_payment_method",
    summary = "Remove a customer's saved payment method", security(("bearer" = [])), params(MethodPath),
    responses((status = 204, description = "Removed.")))]
pub async fn delete(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Path((customer, method)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let customer = path_id("customer", &customer, CustomerId::parse)?;
    let method = path_id("payment method", &method, PaymentMethodId::parse)?;
    app.delete_saved_method(&scope, &customer, &method).await?;
    Ok(StatusCode::NO_CONTENT)
}
