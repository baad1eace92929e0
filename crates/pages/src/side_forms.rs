//! The one-field forms beside the pay form (forms cannot nest): apply a
//! discount code, switch currency. Each posts, then shows the page again.

use std::sync::Arc;

use axum::Form;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use kassa_app::{App, AppError};
use kassa_core::id::CheckoutSessionId;

use super::{Fields, entered, failure, load, not_found, render};

/// The apply-code form.
pub(super) async fn discount(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(fields): Form<Fields>,
) -> Response {
    side_form(
        &app,
        &id,
        &headers,
        fields,
        "discount_code",
        |session, code| {
            let app = app.clone();
            async move { app.apply_discount_code(&session, &code).await }
        },
    )
    .await
}

/// The currency selector (adaptive pricing).
pub(super) async fn currency(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(fields): Form<Fields>,
) -> Response {
    side_form(&app, &id, &headers, fields, "currency", |session, code| {
        let app = app.clone();
        async move { app.set_session_currency(&session, &code).await }
    })
    .await
}

/// A one-field form beside the pay form: apply `field`'s value, then show
/// the page again (its own errors next to the field on refusal).
async fn side_form<F, Fut>(
    app: &App,
    id: &str,
    headers: &HeaderMap,
    fields: Fields,
    field: &str,
    apply: F,
) -> Response
where
    F: FnOnce(CheckoutSessionId, String) -> Fut,
    Fut: std::future::Future<Output = Result<(), AppError>>,
{
    let Ok(session_id) = CheckoutSessionId::parse(id) else {
        return not_found(headers);
    };
    let value = fields
        .iter()
        .find(|(k, _)| k == field)
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    match apply(session_id, value).await {
        Ok(()) => Redirect::to(&format!("/session/{id}")).into_response(),
        Err(e) => {
            let failure::Answer::Form(status) = failure::answer(&e) else {
                return failure::failed(headers, &e);
            };
            let view = match load(app, id, headers).await {
                Ok(view) => view,
                Err(page) => return page,
            };
            let errors = vec![(field.to_owned(), e.to_string())];
            render(&view, headers, entered(fields), errors, None, status)
        }
    }
}
