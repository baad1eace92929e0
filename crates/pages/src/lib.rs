//! The customer-facing HTTP side: the hosted checkout at `/session/{id}`
//! with its forms, static and short links, and the 3-D Secure challenge.
//! Plain HTML forms, POST-redirect-GET after success, no JavaScript
//! needed; the HTML itself comes from `kassa-web`'s renderers. Later the
//! overlay, inline, portal and dashboard pages live here too, so the
//! server stays the composition root only.

mod buy;
mod failure;
mod side_forms;
mod view;

use std::sync::Arc;

use axum::Form;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use kassa_app::{App, AppError, PayForm, PayOutcome, SessionView};
use kassa_core::checkout::SessionStatus;
use kassa_core::id::{CheckoutSessionId, PaymentId};
use kassa_core::money::Money;
use kassa_web::{ChallengePage, Entered, ExpiredPage, Lang, NotFoundPage, SuccessPage};

use view::{checkout_page, unpriceable};

/// Where the routes below live. The edge keeps the API's browser
/// behaviour (answered OPTIONS, CORS) off them; a new page route outside
/// these prefixes must be added here.
const PREFIXES: &[&str] = &["/buy/", "/l/", "/session/"];

/// Whether `route`, a matched path template (`/session/{id}/pay`), is one
/// of the customer-facing pages rather than the API.
pub fn is_page_route(route: &str) -> bool {
    PREFIXES.iter().any(|prefix| route.starts_with(prefix))
}

pub fn router() -> Router<Arc<App>> {
    Router::new()
        .route("/buy/{product_id}", get(buy::buy))
        .route("/l/{slug}", get(buy::short_link))
        .route("/session/{id}", get(show))
        .route("/session/{id}/pay", post(pay))
        .route("/session/{id}/discount", post(side_forms::discount))
        .route("/session/{id}/currency", post(side_forms::currency))
        .route("/session/{id}/challenge/{payment}", get(challenge))
        .route(
            "/session/{id}/challenge/{payment}/complete",
            post(challenge_complete),
        )
        .route(
            "/session/{id}/challenge/{payment}/fail",
            post(challenge_fail),
        )
}

type Fields = Vec<(String, String)>;

pub(crate) fn accept_language(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
}

fn lang(view: Option<&SessionView>, headers: &HeaderMap) -> Lang {
    let forced = view.and_then(|v| v.session.customization.force_language.as_deref());
    kassa_web::negotiate(forced, accept_language(headers))
}

pub(crate) fn html(status: StatusCode, body: String) -> Response {
    let mut response = (status, Html(body)).into_response();
    let headers = response.headers_mut();
    // Pages hold a payment form: never framed here (the overlay routes
    // will opt in), never cached, no scripts from anywhere.
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self' http: https:; frame-ancestors 'none'; base-uri 'none'"
            .parse()
            .expect("valid header"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        "no-store".parse().expect("valid header"),
    );
    headers.insert(
        header::X_FRAME_OPTIONS,
        "DENY".parse().expect("valid header"),
    );
    response
}

pub(crate) fn not_found(headers: &HeaderMap) -> Response {
    let lang = kassa_web::negotiate(None, accept_language(headers));
    html(
        StatusCode::NOT_FOUND,
        kassa_web::render_not_found(&NotFoundPage { lang }),
    )
}

/// The session's view, or the page that says why there is none.
async fn load(app: &App, raw: &str, headers: &HeaderMap) -> Result<SessionView, Response> {
    let Ok(id) = CheckoutSessionId::parse(raw) else {
        return Err(not_found(headers));
    };
    app.session_view(&id)
        .await
        .map_err(|e| failure::failed(headers, &e))
}

/// The page for whatever state the session is in.
fn render(
    view: &SessionView,
    headers: &HeaderMap,
    entered: Entered,
    errors: Fields,
    notice: Option<String>,
    status: StatusCode,
) -> Response {
    let lang = lang(Some(view), headers);
    match view.status {
        SessionStatus::Expired => html(
            StatusCode::GONE,
            kassa_web::render_expired(&ExpiredPage {
                lang,
                session: &view.session,
                business_name: &view.business_name,
            }),
        ),
        SessionStatus::Completed => html(
            StatusCode::OK,
            kassa_web::render_success(&SuccessPage {
                lang,
                session: &view.session,
                business_name: &view.business_name,
                quote: view.quote.as_ref().ok(),
                return_url: view.return_url(),
            }),
        ),
        SessionStatus::Open if !view.payable => failure::trouble(
            headers,
            StatusCode::FORBIDDEN,
            Some(AppError::MerchantNotLive.to_string()),
        ),
        SessionStatus::Open => match &view.quote {
            Ok(quote) => html(
                status,
                kassa_web::render_checkout(&checkout_page(
                    view, quote, lang, entered, errors, notice,
                )),
            ),
            Err(e) => failure::trouble(headers, StatusCode::CONFLICT, Some(unpriceable(e))),
        },
    }
}

async fn show(State(app): State<Arc<App>>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    match load(&app, &id, &headers).await {
        Ok(view) => render(
            &view,
            &headers,
            Entered::default(),
            Vec::new(),
            None,
            StatusCode::OK,
        ),
        Err(page) => page,
    }
}

fn pay_form(fields: &Fields) -> PayForm {
    let get = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    PayForm {
        email: get("email"),
        name: get("name"),
        phone_number: get("phone_number"),
        country: get("country"),
        street: get("street"),
        city: get("city"),
        state: get("state"),
        zipcode: get("zipcode"),
        tax_id: get("tax_id"),
        business_name: get("business_name"),
        payment_method: get("payment_method"),
        card_number: get("card_number"),
        card_expiry: get("card_expiry"),
        card_cvc: get("card_cvc"),
        cardholder_name: get("cardholder_name"),
        upi_vpa: get("upi_vpa"),
        custom: fields
            .iter()
            .filter_map(|(k, v)| Some((kassa_web::fields::custom_key(k)?.to_owned(), v.clone())))
            .collect(),
    }
}

/// Keeps what was typed, minus the card: it is never sent back to the page.
fn entered(fields: Fields) -> Entered {
    Entered {
        values: fields
            .into_iter()
            .filter(|(k, _)| !matches!(k.as_str(), "card_number" | "card_cvc" | "card_expiry"))
            .collect(),
    }
}

async fn after(
    app: &App,
    id: &str,
    headers: &HeaderMap,
    outcome: Result<PayOutcome, AppError>,
    fields: Fields,
) -> Response {
    // A redirect needs nothing more; only a form shown again reloads the
    // session (a purchase's hot path is the redirect).
    let (errors, message, status) = match outcome {
        Ok(PayOutcome::Succeeded { redirect, .. }) => {
            return match redirect {
                Some(url) => Redirect::to(&url).into_response(),
                None => Redirect::to(&format!("/session/{id}")).into_response(),
            };
        }
        Ok(PayOutcome::Challenge { payment }) => {
            return Redirect::to(&format!("/session/{id}/challenge/{}", payment.id))
                .into_response();
        }
        Ok(PayOutcome::Declined { message, .. }) => {
            (Vec::new(), Some(message), StatusCode::PAYMENT_REQUIRED)
        }
        Ok(PayOutcome::Invalid(errors)) => (errors, None, StatusCode::UNPROCESSABLE_ENTITY),
        Err(e) => match failure::answer(&e) {
            failure::Answer::Form(status) => (Vec::new(), Some(e.to_string()), status),
            _ => return failure::failed(headers, &e),
        },
    };
    let view = match load(app, id, headers).await {
        Ok(view) => view,
        Err(page) => return page,
    };
    render(&view, headers, entered(fields), errors, message, status)
}

async fn pay(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(fields): Form<Fields>,
) -> Response {
    let Ok(session_id) = CheckoutSessionId::parse(&id) else {
        return not_found(&headers);
    };
    let outcome = app.pay_session(&session_id, pay_form(&fields)).await;
    after(&app, &id, &headers, outcome, fields).await
}

async fn challenge(
    State(app): State<Arc<App>>,
    Path((id, payment)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let view = match load(&app, &id, &headers).await {
        Ok(view) => view,
        Err(page) => return page,
    };
    let Ok(payment_id) = PaymentId::parse(&payment) else {
        return not_found(&headers);
    };
    let p = match app.payment(&view.scope, &payment_id).await {
        Ok(p) => p,
        Err(e) => return failure::failed(&headers, &e),
    };
    if p.challenge.is_none() {
        return Redirect::to(&format!("/session/{id}")).into_response();
    }
    let page = ChallengePage {
        lang: lang(Some(&view), &headers),
        session_id: &view.session.id,
        amount: Money::new(p.total_amount, p.currency),
        complete_action: format!("/session/{id}/challenge/{payment}/complete"),
        fail_action: format!("/session/{id}/challenge/{payment}/fail"),
    };
    html(StatusCode::OK, kassa_web::render_challenge(&page))
}

async fn finish(
    app: Arc<App>,
    id: String,
    payment: String,
    headers: HeaderMap,
    passed: bool,
) -> Response {
    let (Ok(session_id), Ok(payment_id)) =
        (CheckoutSessionId::parse(&id), PaymentId::parse(&payment))
    else {
        return not_found(&headers);
    };
    let outcome = app.finish_challenge(&session_id, &payment_id, passed).await;
    after(&app, &id, &headers, outcome, Vec::new()).await
}

async fn challenge_complete(
    State(app): State<Arc<App>>,
    Path((id, payment)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    finish(app, id, payment, headers, true).await
}

async fn challenge_fail(
    State(app): State<Arc<App>>,
    Path((id, payment)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    finish(app, id, payment, headers, false).await
}
