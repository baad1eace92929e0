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

use crate::ApiError;
use crate::extract::{Caller, path_id};
use crate::wire::{Items, ts_opt};

#[derive(Serialize)]
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
#[derive(Serialize)]
pub struct MethodOut {
    payment_method_id: String,
    payment_method: &'static str,
    payment_method_type: Option<String>,
    card: Option<CardOut>,
    last_used_at: Option<String>,
    recurring_enabled: Option<bool>,
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
