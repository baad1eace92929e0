//! Authentication: every Dodo route but the public ones needs a valid key.

use kassa_testkit::TestServer;

#[tokio::test]
async fn a_missing_key_is_401_in_dodo_error_shape() {
    let kassa = TestServer::start().await;
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

#[tokio::test]
async fn a_wrong_key_is_401() {
    let kassa = TestServer::start().await;
    let forged = format!("sk_test_{}", "A".repeat(32));
    for key in [forged.as_str(), "sk_test_short", "nonsense"] {
        let reply = kassa.call_as(key, "GET", "/products", None).await;
        assert_eq!(reply.status, 401, "{key}");
        assert_eq!(reply.body["code"], "UNAUTHORIZED");
    }
}

#[tokio::test]
async fn supported_countries_needs_no_key_and_ignores_one() {
    let kassa = TestServer::start().await;
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
