//! Authentication: every operation of Kassa's own `/openapi.json` that
//! declares `security` needs a valid key (swept over the whole document);
//! the public ones (no `security`) answer without one.

use kassa_testkit::{TestDb, TestServer};
use serde_json::{Value, json};

// Each test below runs on SQLite and on PostgreSQL.
kassa_testkit::on_each_backend!(
    a_missing_key_is_401_in_dodo_error_shape,
    a_wrong_key_is_401,
    supported_countries_needs_no_key_and_ignores_one,
    every_operation_that_needs_a_key_is_401_without_one_and_with_a_wrong_one,
    the_public_operations_are_exactly_the_documented_ones_without_security,
);

async fn a_missing_key_is_401_in_dodo_error_shape(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    let resp = kassa
        .http
        .get(format!("{}/products", kassa.url))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 401);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["code"], "UNAUTHORIZED");
    assert!(body["message"].as_str().unwrap().contains("API key"));
}

async fn a_wrong_key_is_401(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    let forged = format!("sk_test_{}", "A".repeat(32));
    for key in [forged.as_str(), "sk_test_short", "nonsense"] {
        let reply = kassa.call_as(key, "GET", "/products", None).await;
        assert_eq!(reply.status, 401, "{key}");
        assert_eq!(reply.body["code"], "UNAUTHORIZED");
    }
}

async fn supported_countries_needs_no_key_and_ignores_one(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    let resp = kassa
        .http
        .get(format!("{}/checkout/supported_countries", kassa.url))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let countries: Vec<String> = resp.json().await.unwrap();
    assert!(countries.contains(&"IN".to_owned()) && countries.contains(&"US".to_owned()));
    let with_key = kassa
        .call("GET", "/checkout/supported_countries", None)
        .await;
    assert_eq!(with_key.status, 200);
}

/// A syntactically valid id for the path parameter `name` of `path`: the
/// right prefix and 21 base62 characters. An unknown parameter fails the
/// test, so a new route cannot slip past the sweep with a made-up id.
fn id_for(path: &str, name: &str) -> String {
    let zeros = "0".repeat(21);
    let prefix = match name {
        "customer_id" => "cus_",
        "payment_method_id" => "pm_",
        "discount_id" => "dsc_",
        "payment_id" => "pay_",
        "webhook_id" => "whk_",
        "event_id" => "evt_",
        "key_id" => "key_",
        "code" => return "SAVE10".to_owned(),
        "id" => match path.trim_start_matches("/kassa").split('/').nth(1) {
            Some("products") => "pdt_",
            Some("addons") => "adn_",
            Some("brands") => "brnd_",
            Some("checkouts") => "cks_",
            other => panic!("no id kind known for {{id}} under {other:?} in {path}"),
        },
        other => panic!("no id known for path parameter {{{other}}} in {path}"),
    };
    format!("{prefix}{zeros}")
}

/// `path` with every `{param}` replaced by a valid id of its kind.
fn concrete(path: &str) -> String {
    path.split('/')
        .map(
            |segment| match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(name) => id_for(path, name),
                None => segment.to_owned(),
            },
        )
        .collect::<Vec<_>>()
        .join("/")
}

/// `(METHOD, path template, needs a key)` for every operation of the
/// server's own document.
async fn documented_operations(kassa: &TestServer) -> Vec<(String, String, bool)> {
    let doc = kassa.call("GET", "/openapi.json", None).await;
    assert_eq!(doc.status, 200);
    assert!(
        doc.body.get("security").is_none(),
        "no document-wide default"
    );
    let mut ops = vec![];
    for (path, item) in doc.body["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().unwrap() {
            if !["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                continue;
            }
            let secured = match &op["security"] {
                Value::Null => false,
                Value::Array(reqs) => !reqs.is_empty() && reqs.iter().all(|r| r != &json!({})),
                other => panic!("{method} {path}: security is {other}"),
            };
            ops.push((method.to_uppercase(), path.clone(), secured));
        }
    }
    ops
}

async fn every_operation_that_needs_a_key_is_401_without_one_and_with_a_wrong_one(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    let ops = documented_operations(&kassa).await;
    let forged = format!("sk_test_{}", "A".repeat(32));
    let forged_live = format!("sk_live_{}", "A".repeat(32));
    let mut swept = 0;
    for (method, path, secured) in &ops {
        if !secured {
            continue;
        }
        let url = format!("{}{}", kassa.url, concrete(path));
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let keys: [Option<&str>; 4] = [None, Some(&forged), Some(&forged_live), Some("nonsense")];
        for key in keys {
            let mut req = kassa.http.request(method.clone(), &url);
            if let Some(key) = key {
                req = req.bearer_auth(key);
            }
            if method != reqwest::Method::GET && method != reqwest::Method::DELETE {
                req = req.json(&json!({}));
            }
            let resp = req.send().await.expect("request");
            let status = resp.status().as_u16();
            let body: Value = resp.json().await.unwrap_or(Value::Null);
            assert_eq!(status, 401, "{method} {url} with {key:?}: {body}");
            assert_eq!(body["code"], "UNAUTHORIZED", "{method} {url} with {key:?}");
        }
        swept += 1;
    }
    // Kassa serves 45 Dodo operations and its own extras; a document that
    // lost most of its operations (or their `security`) must not pass.
    assert!(swept >= 50, "only {swept} operations swept");
    // The 401s come from the routes themselves: a path no route serves is
    // a 404 without a key too, and each route answers its method with the
    // right key (no 401, no 405).
    let nowhere = kassa
        .http
        .get(format!(
            "{}/products/pdt_{}/nowhere",
            kassa.url,
            "0".repeat(21)
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(nowhere.status(), 404);
    for (method, path, secured) in &ops {
        if *secured {
            let body = (method != "GET" && method != "DELETE").then(|| json!({}));
            let reply = kassa.call(method, &concrete(path), body).await;
            assert!(
                ![401, 405].contains(&reply.status),
                "{method} {path} with the key: {} {:?}",
                reply.status,
                reply.body
            );
        }
    }
}

async fn the_public_operations_are_exactly_the_documented_ones_without_security(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    let mut public: Vec<String> = documented_operations(&kassa)
        .await
        .into_iter()
        .filter(|(_, _, secured)| !secured)
        .map(|(method, path, _)| format!("{method} {path}"))
        .collect();
    public.sort();
    assert_eq!(
        public,
        [
            "GET /checkout/supported_countries",
            "GET /healthz",
            "GET /metrics",
            "GET /openapi.json",
            "GET /readyz",
        ]
    );
    for op in &public {
        let path = op.split(' ').nth(1).unwrap();
        let resp = kassa
            .http
            .get(format!("{}{path}", kassa.url))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200, "{op} answers without a key");
    }
}
