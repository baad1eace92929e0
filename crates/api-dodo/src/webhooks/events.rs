//! The webhook envelope in Dodo's shape, rendered when a delivery is
//! attempted: `data` is the object as it is then, not as it was.

use kassa_app::App;
use kassa_core::tenancy::Scope;
use kassa_core::webhook::{Event, EventObject};
use serde_json::Value;

use crate::payments::{payment_out, with_customer};
use crate::wire::ts;

/// `{business_id, type, timestamp, data{payload_type, …}}`.
pub async fn render_event(app: &App, scope: &Scope, event: &Event) -> Result<Value, String> {
    let mut data = match &event.object {
        EventObject::Payment(id) => {
            let payment = app.payment(scope, id).await.map_err(|e| e.to_string())?;
            let customer = with_customer(app, scope, &payment)
                .await
                .map_err(|e| e.to_string())?;
            payment_out(&payment, &customer)
        }
        EventObject::Snapshot(json) => serde_json::from_str(json).map_err(|e| e.to_string())?,
    };
    if let Value::Object(map) = &mut data {
        map.insert(
            "payload_type".into(),
            Value::String(event.kind.payload_type().into()),
        );
    }
    Ok(serde_json::json!({
        "business_id": scope.business.as_str(),
        "type": event.kind.as_str(),
        "timestamp": ts(event.occurred_at),
        "data": data,
    }))
}
