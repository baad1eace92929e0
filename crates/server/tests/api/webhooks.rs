//! `/webhooks` endpoint management: Dodo's shapes, cursor pages, headers
//! with credentials hidden, the secret, and refusals that write nothing.

use kassa_testkit::{TestDb, TestServer};
use serde_json::{Value, json};

// Each test below runs on SQLite and on PostgreSQL.
kassa_testkit::on_each_backend!(
    an_endpoint_is_created_read_updated_and_deleted_in_dodos_shape,
    headers_are_merged_and_credentials_are_listed_by_name_only,
    endpoints_page_by_cursor_until_done,
    the_same_idempotency_key_in_the_body_returns_the_first_endpoint,
    bad_endpoints_are_refused_by_name_and_nothing_is_written,
    an_unknown_endpoint_field_is_named_not_refused,
    more_endpoints_than_the_limit_are_refused,
    private_targets_are_allowed_in_test_mode_and_refused_in_live_mode,
    another_business_cannot_see_or_change_an_endpoint,
);

async fn create(kassa: &TestServer, body: Value) -> Value {
    let reply = kassa.call("POST", "/webhooks", Some(body)).await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    reply.body
}

async fn an_endpoint_is_created_read_updated_and_deleted_in_dodos_shape(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    let made = create(
        &kassa,
        json!({"url": "https://shop.example/hooks", "description": "orders",
               "filter_types": ["payment.succeeded", "payment.failed"],
               "metadata": {"team": "billing"}, "rate_limit": 10}),
    )
    .await;
    let id = made["id"].as_str().unwrap();
    assert!(id.starts_with("whk_") && id.len() == 25, "{id}");
    assert_eq!(made["url"], "https://shop.example/hooks");
    assert_eq!(made["description"], "orders");
    assert_eq!(made["disabled"], false);
    assert_eq!(
        made["filter_types"],
        json!(["payment.succeeded", "payment.failed"])
    );
    assert_eq!(made["metadata"], json!({"team": "billing"}));
    assert_eq!(made["rate_limit"], 10);

    let got = kassa.call("GET", &format!("/webhooks/{id}"), None).await;
    assert_eq!(got.body, made);

    let patched = kassa
        .call(
            "PATCH",
            &format!("/webhooks/{id}"),
            Some(json!({"disabled": true, "filter_types": [], "rate_limit": null})),
        )
        .await;
    assert_eq!(patched.status, 200, "{:?}", patched.body);
    assert_eq!(patched.body["disabled"], true);
    assert_eq!(
        patched.body["filter_types"],
        Value::Null,
        "empty means every type"
    );
    assert_eq!(patched.body["rate_limit"], Value::Null);
    assert_eq!(
        patched.body["description"], "orders",
        "untouched fields stay"
    );

    let secret = kassa
        .call("GET", &format!("/webhooks/{id}/secret"), None)
        .await;
    let secret = secret.body["secret"].as_str().unwrap();
    assert!(
        secret.starts_with("whsec_") && secret.len() > 30,
        "{secret}"
    );

    let deleted = kassa.call("DELETE", &format!("/webhooks/{id}"), None).await;
    assert_eq!(deleted.status, 200);
    let gone = kassa.call("GET", &format!("/webhooks/{id}"), None).await;
    assert_eq!(gone.status, 404);
    assert_eq!(gone.body["code"], "NOT_FOUND");
}

async fn headers_are_merged_and_credentials_are_listed_by_name_only(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    let made = create(
        &kassa,
        json!({"url": "https://shop.example/h", "headers": {"X-Shop": "one", "Authorization": "Bearer s3cret"}}),
    )
    .await;
    let id = made["id"].as_str().unwrap();
    let path = format!("/webhooks/{id}/headers");
    let patched = kassa
        .call(
            "PATCH",
            &path,
            Some(json!({"headers": {"X-Region": "eu", "x-shop": "two"}})),
        )
        .await;
    assert_eq!(patched.status, 200, "{:?}", patched.body);
    let got = kassa.call("GET", &path, None).await;
    assert_eq!(
        got.body["headers"],
        json!({"x-region": "eu", "x-shop": "two"})
    );
    assert_eq!(got.body["sensitive"], json!(["authorization"]));
    assert!(!got.body.to_string().contains("s3cret"));

    let bad = kassa
        .call(
            "PATCH",
            &path,
            Some(json!({"headers": {"webhook-signature": "v1,forged"}})),
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(
        bad.body["message"]
            .as_str()
            .unwrap()
            .contains("webhook-signature")
    );
}

async fn endpoints_page_by_cursor_until_done(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    let mut ids = Vec::new();
    for i in 0..5 {
        let made = create(&kassa, json!({"url": format!("https://shop.example/{i}")})).await;
        ids.push(made["id"].as_str().unwrap().to_owned());
    }
    ids.sort();
    let mut seen = Vec::new();
    let mut iterator: Option<String> = None;
    let mut pages = 0;
    loop {
        let path = match &iterator {
            Some(it) => format!("/webhooks?limit=2&iterator={it}"),
            None => "/webhooks?limit=2".to_owned(),
        };
        let page = kassa.call("GET", &path, None).await;
        assert_eq!(page.status, 200, "{:?}", page.body);
        pages += 1;
        for e in page.body["data"].as_array().unwrap() {
            seen.push(e["id"].as_str().unwrap().to_owned());
        }
        if page.body["done"] == true {
            assert_eq!(page.body["iterator"], Value::Null);
            break;
        }
        iterator = Some(page.body["iterator"].as_str().unwrap().to_owned());
        let prev = page.body["prev_iterator"].clone();
        assert_eq!(
            pages == 1,
            prev.is_null(),
            "the first page has no previous page"
        );
    }
    assert_eq!(pages, 3);
    assert_eq!(seen, ids, "every endpoint once, in order");

    let last_page_prev = kassa
        .call(
            "GET",
            &format!("/webhooks?limit=2&iterator=-{}", ids[4]),
            None,
        )
        .await;
    let back: Vec<_> = last_page_prev.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(back, ids[2..4].to_vec(), "prev_iterator walks backwards");
}

async fn the_same_idempotency_key_in_the_body_returns_the_first_endpoint(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    let body = json!({"url": "https://shop.example/once", "idempotency_key": "create-1"});
    let first = create(&kassa, body.clone()).await;
    let second = create(&kassa, body).await;
    assert_eq!(first["id"], second["id"]);
    let all = kassa.call("GET", "/webhooks", None).await;
    assert_eq!(all.body["data"].as_array().unwrap().len(), 1);
}

async fn bad_endpoints_are_refused_by_name_and_nothing_is_written(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    let cases = [
        (json!({"url": "not a url"}), "not a URL"),
        (json!({"url": "ftp://shop.example/x"}), "http or https"),
        (
            json!({"url": "https://shop.example", "filter_types": ["payment.exploded"]}),
            "payment.exploded",
        ),
        (
            json!({"url": "https://shop.example", "rate_limit": -1}),
            "rate_limit",
        ),
        (json!({}), "url"),
    ];
    for (body, names) in cases {
        let reply = kassa.call("POST", "/webhooks", Some(body.clone())).await;
        assert_eq!(reply.status, 422, "{body}: {:?}", reply.body);
        let message = reply.body["message"].as_str().unwrap();
        assert!(message.contains(names), "{body}: {message}");
    }
    let all = kassa.call("GET", "/webhooks", None).await;
    assert_eq!(all.body["data"], json!([]), "nothing was written");
}

async fn an_unknown_endpoint_field_is_named_not_refused(db: TestDb) {
    // Like every body: a field a newer SDK may send is accepted and named
    // in `Kassa-Ignored-Fields` (a 422 only under `--strict-fields`).
    let kassa = TestServer::start_in(db).await;
    let reply = kassa
        .call(
            "POST",
            "/webhooks",
            Some(json!({"url": "https://shop.example", "colour": "red"})),
        )
        .await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    assert_eq!(reply.headers["kassa-ignored-fields"], "colour");
}

async fn more_endpoints_than_the_limit_are_refused(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    for i in 0..5 {
        create(&kassa, json!({"url": format!("https://shop.example/{i}")})).await;
    }
    let sixth = kassa
        .call(
            "POST",
            "/webhooks",
            Some(json!({"url": "https://shop.example/6"})),
        )
        .await;
    assert_eq!(sixth.status, 422, "{:?}", sixth.body);
    assert_eq!(sixth.body["code"], "WEBHOOK_LIMIT_REACHED");
    assert!(
        sixth.body["message"]
            .as_str()
            .unwrap()
            .contains("at most 5")
    );
}

async fn private_targets_are_allowed_in_test_mode_and_refused_in_live_mode(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    create(&kassa, json!({"url": "http://127.0.0.1:9/hook"})).await;
    let live = kassa.live_key().await;
    for url in [
        "http://127.0.0.1:9/hook",
        "http://10.0.0.8/hook",
        "http://localhost:3000/",
    ] {
        let reply = kassa
            .call_as(&live, "POST", "/webhooks", Some(json!({"url": url})))
            .await;
        assert_eq!(reply.status, 422, "{url}: {:?}", reply.body);
        assert!(
            reply.body["message"]
                .as_str()
                .unwrap()
                .contains("live mode"),
            "{:?}",
            reply.body
        );
    }
    let public = kassa
        .call_as(
            &live,
            "POST",
            "/webhooks",
            Some(json!({"url": "https://shop.example/live"})),
        )
        .await;
    assert_eq!(public.status, 200, "{:?}", public.body);
}

async fn another_business_cannot_see_or_change_an_endpoint(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    let made = create(&kassa, json!({"url": "https://shop.example/mine"})).await;
    let id = made["id"].as_str().unwrap();
    let other = kassa.other_business_key().await;
    for (method, path) in [
        ("GET", format!("/webhooks/{id}")),
        ("GET", format!("/webhooks/{id}/secret")),
        ("DELETE", format!("/webhooks/{id}")),
    ] {
        let reply = kassa.call_as(&other, method, &path, None).await;
        assert_eq!(reply.status, 404, "{method} {path}");
    }
    let list = kassa.call_as(&other, "GET", "/webhooks", None).await;
    assert_eq!(list.body["data"], json!([]));
}
