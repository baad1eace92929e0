"""Checkout sessions through the official PyPI SDK: create, preview, retrieve,
idempotent replay; every response schema-checked."""

import dodopayments
import pytest

from test_catalog import one_time


@pytest.fixture(scope="module")
def cart(kassa):
    c = kassa.client()
    book = c.products.create(name="Book", tax_category="e_book", price=one_time(1999, "USD")).product_id
    course = c.products.create(name="Course", tax_category="edtech", price=one_time(5000, "USD")).product_id
    c.discounts.create(type="percentage", amount=1000, code="TENPCT")
    return [{"product_id": book, "quantity": 1}, {"product_id": course, "quantity": 3}]


def test_a_session_is_created_previewed_and_retrieved(client, cart):
    request = dict(product_cart=cart, customer={"email": "grace@example.com", "name": "Grace"},
                   billing_address={"country": "US", "state": "CA", "zipcode": "94103"},
                   discount_codes=["TENPCT"], metadata={"order": "A-1"})
    session = client.checkout_sessions.create(**request)
    assert session.session_id.startswith("cks_")
    assert session.checkout_url.endswith(f"/session/{session.session_id}")

    preview = client.checkout_sessions.preview(**request)
    assert preview.current_breakup.subtotal == 1999 + 3 * 5000
    assert preview.current_breakup.discount == 1700  # 10% of 16999, half away from zero
    # Split by largest remainder: 199.91 -> 200 off the book, 1500.09 -> 1500
    # off the courses. California taxes neither (rates.csv: no US,CA row, so
    # US,*,* at 0), so the total is what is left: 16999 - 1700 = 15299.
    assert [line.discounted_price for line in preview.product_cart] == [1799, 13500]
    assert [(line.tax, line.tax_rate) for line in preview.product_cart] == [(0, 0), (0, 0)]
    assert preview.current_breakup.tax == 0
    assert preview.current_breakup.total_amount == 15299
    assert preview.total_price == 15299
    assert preview.total_price == sum(
        line.discounted_price + (0 if line.tax_inclusive else line.tax) for line in preview.product_cart
    )

    # The same cart billed to Washington (US,WA,*,65000: 6.5 %, tax-exclusive):
    # 1799 x 0.065 = 116.935 -> 117 and 13500 x 0.065 = 877.5 -> 878.
    wa = client.checkout_sessions.preview(**{**request, "billing_address": {"country": "US", "state": "WA",
                                                                              "zipcode": "98101"}})
    assert [(line.tax, line.tax_rate) for line in wa.product_cart] == [(117, 650), (878, 650)]
    assert wa.current_breakup.tax == 995
    assert wa.current_breakup.total_amount == wa.total_price == 15299 + 995

    status = client.checkout_sessions.retrieve(session.session_id)
    assert status.customer_email == "grace@example.com"
    assert status.payment_id is None


def test_an_idempotency_key_replays_and_a_reused_key_conflicts(client, cart):
    headers = {"Idempotency-Key": "py-order-7"}
    first = client.checkout_sessions.create(product_cart=cart, extra_headers=headers)
    again = client.checkout_sessions.create(product_cart=cart, extra_headers=headers)
    assert again.session_id == first.session_id
    with pytest.raises(dodopayments.ConflictError) as err:
        client.checkout_sessions.create(product_cart=cart[:1], extra_headers=headers)
    assert err.value.response.headers["x-should-retry"] == "false"


def test_bad_requests_are_refused_with_dodo_codes(client, cart):
    with pytest.raises(dodopayments.UnprocessableEntityError) as err:
        client.checkout_sessions.create(product_cart=cart, discount_codes=["NOSUCH"])
    assert err.value.body["code"] == "INVALID_DISCOUNT_CODE"
    with pytest.raises(dodopayments.UnprocessableEntityError) as err:
        client.checkout_sessions.create(product_cart=cart, return_url="not a url")
    assert "return_url" in err.value.body["message"]
    with pytest.raises(dodopayments.NotFoundError):
        client.checkout_sessions.retrieve("cks_000000000000000000000")
