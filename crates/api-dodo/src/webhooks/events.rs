//! Dodo's deliveries: the envelope rendered when a delivery is attempted
//! (`data` is the object as it is then, not as it was), in canonical JSON,
//! signed the Standard Webhooks way, retried on Dodo's schedule.

use std::sync::Arc;

use async_trait::async_trait;
use kassa_app::App;
use kassa_core::tenancy::Scope;
use kassa_core::webhook::{Event, EventObject, RetrySchedule, WebhookEndpoint};
use kassa_jobs::WebhookDialect;
use serde_json::Value;
use time::OffsetDateTime;

use super::canonical::to_canonical_json;
use crate::payments::{payment_out, with_customer};
use crate::vocabulary::{self, WEBHOOK_ID, WEBHOOK_SIGNATURE, WEBHOOK_TIMESTAMP};
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
            Value::String(vocabulary::payload_type(event.kind).into()),
        );
    }
    Ok(serde_json::json!({
        "business_id": scope.business.as_str(),
        "type": vocabulary::event_name(event.kind),
        "timestamp": ts(event.occurred_at),
        "data": data,
    }))
}

/// How Dodo's receivers expect their deliveries.
pub struct DodoWebhooks {
    app: Arc<App>,
    schedule: RetrySchedule,
}

impl DodoWebhooks {
    pub fn new(app: Arc<App>) -> DodoWebhooks {
        DodoWebhooks {
            app,
            schedule: vocabulary::retry_schedule(),
        }
    }
}

#[async_trait]
impl WebhookDialect for DodoWebhooks {
    /// Canonical JSON: Dodo's Express adapter verifies the signature over
    /// `JSON.stringify(JSON.parse(body))`, so the bytes must survive that.
    async fn body(&self, scope: &Scope, event: &Event) -> Result<Vec<u8>, String> {
        Ok(to_canonical_json(
            &render_event(&self.app, scope, event).await?,
        ))
    }

    fn signature_headers(
        &self,
        endpoint: &WebhookEndpoint,
        event: &Event,
        now: OffsetDateTime,
        body: &[u8],
    ) -> Vec<(&'static str, String)> {
        let msg_id = event.id.as_str();
        let timestamp = now.unix_timestamp();
        let signature = endpoint
            .signing_secrets(now)
            .iter()
            .map(|s| s.sign(msg_id, timestamp, body))
            .collect::<Vec<_>>()
            .join(" ");
        vec![
            (WEBHOOK_ID, msg_id.to_owned()),
            (WEBHOOK_TIMESTAMP, timestamp.to_string()),
            (WEBHOOK_SIGNATURE, signature),
        ]
    }

    fn retry_schedule(&self) -> &RetrySchedule {
        &self.schedule
    }
}
