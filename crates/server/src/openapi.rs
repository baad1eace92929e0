//! Kassa's own OpenAPI document, served at `/openapi.json`: every operation
//! Kassa serves, generated from the dialects' route tables so it cannot
//! list a route that does not exist or miss one that does.

use serde_json::{Map, Value, json};

pub fn document() -> Value {
    let mut paths = Map::new();
    for (method, path, summary) in kassa_api_dodo::OPERATIONS {
        let public = *path == "/checkout/supported_countries";
        let mut op = json!({
            "summary": summary,
            "tags": ["Dodo Payments"],
            "operationId": operation_id(method, path),
            "responses": {
                "200": {"description": "Success (body as in the Dodo Payments API)"},
                "default": {
                    "description": "Error",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
                }
            }
        });
        if !public {
            op["security"] = json!([{"bearer": []}]);
        }
        paths
            .entry(path.to_string())
            .or_insert_with(|| json!({}))
            .as_object_mut()
            .expect("path items are objects")
            .insert(method.to_string(), op);
    }
    for (path, summary) in [
        ("/healthz", "Liveness"),
        ("/readyz", "Readiness (the store answers)"),
        ("/metrics", "Prometheus metrics"),
        ("/openapi.json", "This document"),
    ] {
        paths.insert(
            path.to_owned(),
            json!({"get": {"summary": summary, "tags": ["Kassa"], "responses": {"200": {"description": "OK"}}}}),
        );
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Kassa",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Self-hosted checkout and payments. The Dodo Payments dialect is served at the root."
        },
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["code", "message"],
                    "properties": {"code": {"type": "string"}, "message": {"type": "string"}}
                }
            }
        }
    })
}

fn operation_id(method: &str, path: &str) -> String {
    let words: Vec<String> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(
            |s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(param) => format!("by_{param}"),
                None => s.replace('-', "_"),
            },
        )
        .collect();
    format!("{method}_{}", words.join("_"))
}
