//! Static payment links (`/buy/{product_id}`): a fresh session per visit,
//! prefilled from the query, and clear pages for links that cannot work.

use kassa_testkit::TestServer;
use serde_json::json;

async fn product(kassa: &TestServer) -> String {
    let body = json!({"name": "Static thing", "tax_category": "digital_products",
        "price": {"type": "one_time_price", "price": 1_250, "currency": "EUR",
                  "discount": 0, "purchasing_power_parity": false}});
    let reply = kassa.call("POST", "/products", Some(body)).await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    reply.body["product_id"].as_str().unwrap().to_owned()
}

fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_static_link_opens_a_prefilled_session_for_the_product() {
    let kassa = TestServer::start().await;
    let p = product(&kassa).await;
    let url = format!(
        "{}/buy/{p}?quantity=3&email=sam%40example.com&fullName=Sam+Doe&country=DE\
         &redirect_url=https%3A%2F%2Fshop.example%2Fthanks&metadata_campaign=winter",
        kassa.url
    );
    let reply = browser().get(&url).send().await.unwrap();
    assert_eq!(reply.status().as_u16(), 303);
    let to = reply.headers()["location"].to_str().unwrap().to_owned();
    let id = to.strip_prefix("/session/").expect("to a session page");
    let session = kassa.call("GET", &format!("/checkouts/{id}"), None).await;
    assert_eq!(
        session.status, 200,
        "the session is the product's business's"
    );
    assert_eq!(session.body["customer_email"], "sam@example.com");
    assert_eq!(session.body["customer_name"], "Sam Doe");

    let page = browser()
        .get(format!("{}{to}", kassa.url))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status().as_u16(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Static thing"), "the cart is on the page");

    let second = browser().get(&url).send().await.unwrap();
    assert_ne!(
        second.headers()["location"].to_str().unwrap(),
        to,
        "every visit gets a session of its own"
    );
}

#[tokio::test]
async fn unusable_static_links_show_a_page_saying_why() {
    let kassa = TestServer::start().await;
    let p = product(&kassa).await;
    let base = kassa.url.clone();
    let get = |path: String| {
        let url = format!("{base}{path}");
        async move {
            let reply = browser().get(url).send().await.unwrap();
            (reply.status().as_u16(), reply.text().await.unwrap())
        }
    };
    let (status, html) = get(format!("/buy/{p}?quantity=0")).await;
    assert_eq!(status, 422);
    assert!(html.contains("quantity"), "{html}");
    let (status, _) = get("/buy/pdt_000000000000000000000".to_owned()).await;
    assert_eq!(status, 404);
    let archived = kassa
        .call("DELETE", &format!("/products/{p}"), None)
        .await;
    assert!(archived.status < 300, "{archived:?}");
    let (status, html) = get(format!("/buy/{p}")).await;
    assert_eq!(status, 422);
    assert!(html.contains("link-problem"), "{html}");
}
