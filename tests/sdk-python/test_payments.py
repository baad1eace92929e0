"""One-time payments and short links through the official PyPI SDK: a
payment link opened, replayed, paid on the hosted page and read back; a
product short link made and listed. Every response schema-checked."""

import urllib.parse
import urllib.request

import dodopayments
import pytest

from test_catalog import one_time

# The SDK marks payments.create deprecated (Dodo steers new code to checkout
# sessions); it is still the API merchants call, so Kassa serves it.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _post_form(url, fields):
    """Submits a hosted-page form like a browser, without following the redirect:
    (status, Location) of the redirect or of the error page."""
    opener = urllib.request.build_opener(_NoRedirect)
    data = urllib.parse.urlencode(fields).encode()
    try:
        opener.open(urllib.request.Request(url, data=data, method="POST"))
    except urllib.error.HTTPError as redirect:
        return redirect.code, redirect.headers.get("location")
    raise AssertionError("expected a redirect")


@pytest.fixture(scope="module")
def lamp(kassa):
    return kassa.client().products.create(
        name="Lamp", tax_category="digital_products", price=one_time(4200, "USD")
    ).product_id


def request(product):
    return dict(
        billing={"country": "US", "state": "TX", "zipcode": "73301"},
        customer={"email": "lou@example.com", "name": "Lou"},
        product_cart=[{"product_id": product, "quantity": 1}],
        payment_link=True,
        return_url="https://merchant.example/lamp",
        redirect_immediately=True,
    )


def test_a_payment_link_is_paid_on_the_page_under_its_payment_id(client, lamp, kassa):
    headers = {"Idempotency-Key": "lamp-1"}
    created = client.payments.create(**request(lamp), extra_headers=headers)
    assert created.payment_id.startswith("pay_")
    assert created.payment_link.startswith(f"{kassa.url}/session/cks_")
    again = client.payments.create(**request(lamp), extra_headers=headers)
    assert again.payment_id == created.payment_id
    with pytest.raises(dodopayments.ConflictError):
        client.payments.create(**request(lamp), metadata={"x": "y"}, extra_headers=headers)
    assert client.payments.retrieve(created.payment_id).status == "requires_payment_method"

    status, location = _post_form(
        f"{created.payment_link}/pay",
        {"payment_method": "card", "street": "1 Congress Ave", "city": "Austin", "card_number": "4242424242424242", "card_expiry": "12/40",
         "card_cvc": "123", "cardholder_name": "Lou"},
    )
    assert status == 303
    query = urllib.parse.parse_qs(urllib.parse.urlparse(location).query)
    assert query["payment_id"] == [created.payment_id]
    assert query["status"] == ["succeeded"]
    paid = client.payments.retrieve(created.payment_id)
    assert paid.status == "succeeded"
    assert paid.card_last_four == "4242"


def test_a_declined_card_fails_the_payment_and_says_so(client, lamp):
    created = client.payments.create(**request(lamp))
    # A decline re-renders the page (402, with the reason) instead of redirecting.
    status, _ = _post_form(
        f"{created.payment_link}/pay",
        {"payment_method": "card", "street": "1 Congress Ave", "city": "Austin",
         "card_number": "4000000000000002", "card_expiry": "12/40", "card_cvc": "123",
         "cardholder_name": "Lou"},
    )
    assert status == 402
    failed = client.payments.retrieve(created.payment_id)
    assert failed.status == "failed"
    assert failed.error_code


def test_a_product_short_link_is_created_and_listed(client, lamp, kassa):
    link = client.products.short_links.create(lamp, slug="lamp-sale", static_checkout_params={"quantity": "2"})
    assert link.short_url == f"{kassa.url}/l/lamp-sale"
    assert link.full_url == f"{kassa.url}/buy/{lamp}?quantity=2"
    listed = [item.short_url for item in client.products.short_links.list(product_id=lamp)]
    assert listed == [link.short_url]
