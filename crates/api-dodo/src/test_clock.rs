//! `/kassa/test-clock`: Kassa's own extra (not in Dodo's API) to read and
//! advance a test-mode business's clock. Advancing runs every job that
//! falls due on the way (session expiries, webhook retries…), in due
//! order, before it answers. Live-mode keys get 403: live mode runs on the
//! wall clock only.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use kassa_app::{Advance, App, AppError, ClockState};
use serde::{Deserialize, Serialize};
use time::Duration;
use utoipa::ToSchema;

use crate::ApiError;
use crate::extract::{Body, Caller};
use crate::wire::{parse_ts, ts};

/// A test clock.
#[derive(Serialize, ToSchema)]
pub(crate) struct ClockOut {
    /// The business's now.
    #[schema(value_type = crate::openapi::Rfc3339)]
    now: String,
    /// How far it is ahead of the wall clock.
    offset_seconds: i64,
}

impl From<ClockState> for ClockOut {
    fn from(c: ClockState) -> ClockOut {
        ClockOut {
            now: ts(c.now),
            offset_seconds: c.offset.whole_seconds(),
        }
    }
}

/// Where to move the clock: exactly one of `by` and `to`.
#[derive(Deserialize, ToSchema)]
pub(crate) struct AdvanceIn {
    /// A span of whole numbers with units `s m h d`, e.g. `31d`, `1h30m`.
    #[schema(pattern = r"^(\d+[smhd])+$")]
    by: Option<String>,
    /// An instant at or after the clock's now.
    #[schema(value_type = Option<crate::openapi::Rfc3339>)]
    to: Option<String>,
}

/// The clock after the advance.
#[derive(Serialize, ToSchema)]
pub(crate) struct AdvancedOut {
    #[schema(value_type = crate::openapi::Rfc3339)]
    now: String,
    offset_seconds: i64,
    /// Job runs that fell due in the span (a job retried within it counts
    /// each time).
    jobs_run: u64,
}

#[utoipa::path(get, path = "/kassa/test-clock", tag = "Kassa", operation_id = "kassa_get_test_clock",
    summary = "Read the business's test clock", security(("bearer" = [])),
    responses((status = 200, description = "The test clock.", body = ClockOut)))]
pub(crate) async fn show(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
) -> Result<Json<ClockOut>, ApiError> {
    Ok(Json(app.test_clock(&scope).await?.into()))
}

#[utoipa::path(post, path = "/kassa/test-clock/advance", tag = "Kassa", operation_id = "kassa_advance_test_clock",
    summary = "Advance the business's test clock, running what falls due", security(("bearer" = [])),
    request_body = AdvanceIn,
    responses((status = 200, description = "The clock after the advance.", body = AdvancedOut)))]
pub(crate) async fn advance(
    State(app): State<Arc<App>>,
    Caller(scope): Caller,
    Body(body): Body<AdvanceIn>,
) -> Result<Json<AdvancedOut>, ApiError> {
    let advance = match (&body.by, &body.to) {
        (Some(by), None) => Advance::By(parse_span(by)?),
        (None, Some(to)) => Advance::To(parse_ts("to", to)?),
        _ => {
            return Err(AppError::unusable("by", "give exactly one of `by` and `to`").into());
        }
    };
    let (clock, jobs_run) = app.advance_clock(&scope, advance).await?;
    Ok(Json(AdvancedOut {
        now: ts(clock.now),
        offset_seconds: clock.offset.whole_seconds(),
        jobs_run,
    }))
}

/// `31d`, `1h30m`, `90s`: whole numbers with units, summed.
fn parse_span(raw: &str) -> Result<Duration, ApiError> {
    let bad = || -> ApiError {
        let why = if raw.trim_start().starts_with('-') {
            "a test clock never runs backwards".to_owned()
        } else {
            format!("`{raw}` is not a span like 31d, 2h or 1h30m (units s m h d)")
        };
        AppError::unusable("by", why).into()
    };
    let mut total: i64 = 0;
    let mut digits = String::new();
    for c in raw.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        let unit: i64 = match c {
            's' => 1,
            'm' => 60,
            'h' => 3_600,
            'd' => 86_400,
            _ => return Err(bad()),
        };
        let n: i64 = digits.parse().map_err(|_| bad())?;
        digits.clear();
        total = n
            .checked_mul(unit)
            .and_then(|s| total.checked_add(s))
            .filter(|s| *s <= 100 * 365 * 86_400)
            .ok_or_else(bad)?;
    }
    if !digits.is_empty() || raw.is_empty() {
        return Err(bad());
    }
    Ok(Duration::seconds(total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_sum_their_parts_and_refuse_anything_else() {
        assert_eq!(parse_span("31d").unwrap(), Duration::days(31));
        assert_eq!(parse_span("1h30m").unwrap(), Duration::minutes(90));
        assert_eq!(parse_span("5s").unwrap(), Duration::seconds(5));
        for bad in ["", "5", "-5m", "5w", "m", "1.5h", "999999999999d"] {
            assert!(parse_span(bad).is_err(), "{bad}");
        }
    }
}
