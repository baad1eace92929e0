//! Static payment links (`/buy/{product_id}`): a fresh session per visit,
//! prefilled from the query, and clear pages for links that cannot work.

use kassa_testkit::{TestDb, TestServer};
use serde_json::json;

// Each test below runs on SQLite and on PostgreSQL.
kassa_testkit::on_each_backend!(
    a_static_link_opens_a_prefilled_session_for_the_product,
    unusable_static_links_show_a_page_saying_why,
    a_session_with_short_link_gets_a_short_url_that_leads_to_its_page,
    a_product_short_link_presets_its_static_link_and_slugs_are_unique,
);

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

async fn a_static_link_opens_a_prefilled_session_for_the_product(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
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

async fn unusable_static_links_show_a_page_saying_why(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
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
    let archived = kassa.call("DELETE", &format!("/products/{p}"), None).await;
    assert!(archived.status < 300, "{archived:?}");
    let (status, html) = get(format!("/buy/{p}")).await;
    assert_eq!(status, 422);
    assert!(html.contains("link-problem"), "{html}");
}

async fn a_session_with_short_link_gets_a_short_url_that_leads_to_its_page(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    let p = product(&kassa).await;
    let created = kassa
        .call(
            "POST",
            "/checkouts",
            Some(json!({"product_cart": [{"product_id": p, "quantity": 1}], "short_link": true})),
        )
        .await;
    assert_eq!(created.status, 200, "{:?}", created.body);
    let short = created.body["checkout_url"].as_str().unwrap();
    let slug = short
        .strip_prefix(&format!("{}/l/", kassa.url))
        .expect("a short URL on Kassa's host");
    assert_eq!(slug.len(), 8, "{short}");
    let reply = browser().get(short).send().await.unwrap();
    assert_eq!(reply.status().as_u16(), 303);
    let session = created.body["session_id"].as_str().unwrap();
    assert_eq!(
        reply.headers()["location"],
        format!("/session/{session}").as_str()
    );
}

async fn a_product_short_link_presets_its_static_link_and_slugs_are_unique(db: TestDb) {
    let kassa = TestServer::start_in(db).await;
    let p = product(&kassa).await;
    let body = json!({"slug": "winter-sale", "static_checkout_params": {"quantity": "2"}});
    let made = kassa
        .call(
            "POST",
            &format!("/products/{p}/short_links"),
            Some(body.clone()),
        )
        .await;
    assert_eq!(made.status, 200, "{:?}", made.body);
    assert_eq!(
        made.body["short_url"],
        format!("{}/l/winter-sale", kassa.url)
    );
    assert_eq!(
        made.body["full_url"],
        format!("{}/buy/{p}?quantity=2", kassa.url)
    );

    let hop = browser()
        .get(made.body["short_url"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(hop.status().as_u16(), 303);
    assert_eq!(
        hop.headers()["location"],
        format!("/buy/{p}?quantity=2").as_str()
    );

    let taken = kassa
        .call("POST", &format!("/products/{p}/short_links"), Some(body))
        .await;
    assert_eq!(taken.status, 409, "{:?}", taken.body);
    assert!(
        taken.body["message"]
            .as_str()
            .unwrap()
            .contains("winter-sale")
    );
    let bad = kassa
        .call(
            "POST",
            &format!("/products/{p}/short_links"),
            Some(json!({"slug": "no spaces"})),
        )
        .await;
    assert_eq!(bad.status, 422, "{:?}", bad.body);
    let unknown = kassa
        .call(
            "POST",
            "/products/pdt_000000000000000000000/short_links",
            Some(json!({"slug": "ghost"})),
        )
        .await;
    assert_eq!(unknown.status, 404);

    let listed = kassa
        .call(
            "GET",
            &format!("/products/short_links?product_id={p}"),
            None,
        )
        .await;
    assert_eq!(listed.status, 200, "{:?}", listed.body);
    let items = listed.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["product_id"], p.as_str());
}
