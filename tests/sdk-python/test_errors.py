"""Bad input through the official PyPI SDK: its own error classes, the
{code, message} body, and nothing written."""

import dodopayments
import pytest

from test_catalog import one_time


def product_ids(client):
    return [p.product_id for p in client.products.list(page_number=0, page_size=100).items]


def test_a_wrong_key_is_an_authentication_error(kassa, client):
    stranger = kassa.client("sk_test_" + "x" * 32)
    with pytest.raises(dodopayments.AuthenticationError) as err:
        stranger.products.list()
    assert err.value.status_code == 401
    assert set(err.value.body) >= {"code", "message"}


def test_an_unknown_id_is_not_found(client):
    with pytest.raises(dodopayments.NotFoundError):
        client.products.retrieve("pdt_000000000000000000000")
    with pytest.raises(dodopayments.NotFoundError):
        client.addons.retrieve("adn_000000000000000000000")


@pytest.mark.parametrize("price, field, code", [
    (one_time(-1), "price.price", "INVALID_REQUEST_BODY"),
    (one_time(100, "XYZ"), "price.currency", "UNSUPPORTED_CURRENCY"),
])
def test_invalid_products_are_refused_naming_the_field(client, price, field, code):
    before = product_ids(client)
    with pytest.raises(dodopayments.UnprocessableEntityError) as err:
        client.products.create(name="Bad", tax_category="saas", price=price)
    assert err.value.status_code == 422
    assert err.value.body["code"] == code
    assert err.value.body["message"].startswith(f"{field}: ")
    assert product_ids(client) == before


def test_a_discount_over_10000_basis_points_is_refused(client):
    with pytest.raises(dodopayments.UnprocessableEntityError) as err:
        client.discounts.create(type="percentage", amount=10_001, code="TOOBIG")
    assert "amount" in err.value.body["message"]
    with pytest.raises(dodopayments.NotFoundError):
        client.discounts.retrieve_by_code("TOOBIG")


def test_51_metadata_keys_are_refused(client):
    with pytest.raises(dodopayments.UnprocessableEntityError) as err:
        client.products.create(name="Meta", tax_category="saas", price=one_time(100),
                               metadata={f"k{i}": "v" for i in range(51)})
    assert "metadata" in err.value.body["message"]
    assert "Meta" not in [p.name for p in client.products.list(page_number=0, page_size=100).items]


def test_another_business_gets_404_for_this_business_objects(kassa, client):
    product = client.products.create(name="Mine", tax_category="saas", price=one_time(500))
    customer = client.customers.create(email="mine@example.com", name="Mine")
    other = kassa.client(kassa.other_business_key())
    with pytest.raises(dodopayments.NotFoundError):
        other.products.retrieve(product.product_id)
    with pytest.raises(dodopayments.NotFoundError):
        other.customers.update(customer.customer_id, name="Stolen")
    assert other.products.list(page_number=0).items == []
    assert client.customers.retrieve(customer.customer_id).name == "Mine"
