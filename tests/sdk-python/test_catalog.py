"""Products, addons, customers, discounts, brands and supported countries
through the official dodopayments PyPI SDK, every response schema-checked."""

import dodopayments
import pytest


def one_time(price, currency="USD"):
    return {"type": "one_time_price", "price": price, "currency": currency, "discount": 0,
            "purchasing_power_parity": False}


def test_a_product_is_created_retrieved_updated_archived_and_unarchived(client):
    created = client.products.create(name="E-book", description="A book", tax_category="e_book",
                                     price=one_time(1500), metadata={"sku": "EB-1", "copies": 3})
    assert created.product_id.startswith("pdt_") and len(created.product_id) == 25
    assert created.price.price == 1500
    assert created.metadata == {"sku": "EB-1", "copies": 3}
    assert client.products.retrieve(created.product_id) == created

    client.products.update(created.product_id, name="E-book 2nd ed.", price=one_time(1999, "EUR"))
    updated = client.products.retrieve(created.product_id)
    assert (updated.name, updated.price.price, updated.price.currency) == ("E-book 2nd ed.", 1999, "EUR")
    assert updated.description == "A book"

    client.products.archive(created.product_id)
    archived = client.products.list(archived=True, page_number=0, page_size=100)
    assert created.product_id in [p.product_id for p in archived.items]
    active = client.products.list(page_number=0, page_size=100)
    assert created.product_id not in [p.product_id for p in active.items]
    client.products.unarchive(created.product_id)
    active = client.products.list(page_number=0, page_size=100)
    assert created.product_id in [p.product_id for p in active.items]


def test_recurring_products_carry_their_billing_periods(client):
    sub = client.products.create(name="Pro", tax_category="saas", price={
        "type": "recurring_price", "price": 900, "currency": "USD", "discount": 0,
        "purchasing_power_parity": False, "payment_frequency_count": 1, "payment_frequency_interval": "Month",
        "subscription_period_count": 12, "subscription_period_interval": "Month", "trial_period_days": 14})
    assert sub.is_recurring
    assert sub.price.payment_frequency_interval == "Month"
    recurring = client.products.list(recurring=True, page_number=0, page_size=100)
    assert sub.product_id in [p.product_id for p in recurring.items]
    assert all(p.is_recurring for p in recurring.items)


def test_auto_pagination_fetches_following_pages(client):
    brand = client.brands.create(name="Paging brand").brand_id
    made = [client.products.create(name=f"Paged {i}", tax_category="digital_products",
                                   price=one_time(100 + i), brand_id=brand).product_id for i in range(25)]
    newest_first = list(reversed(made))
    first = client.products.list(brand_id=brand, page_size=10, page_number=0)
    assert [p.product_id for p in first.items] == newest_first[:10]
    # The SDK computes the next page as `(page_number or 1) + 1`, so from page
    # 0 it would jump to 2; iterating from page 1 walks 1, 2 and stops at the
    # empty page 3: two pages fetched automatically.
    rest = [p.product_id for p in client.products.list(brand_id=brand, page_size=10, page_number=1)]
    assert rest == newest_first[10:]


def test_addons_are_created_retrieved_updated_and_listed(client):
    addon = client.addons.create(name="Gift wrap", price=300, currency="USD", tax_category="digital_products")
    assert addon.id.startswith("adn_")
    assert client.addons.retrieve(addon.id) == addon
    updated = client.addons.update(addon.id, price=450, description="Nice paper")
    assert (updated.price, updated.description) == (450, "Nice paper")
    assert addon.id in [a.id for a in client.addons.list(page_number=0, page_size=100).items]


def test_customers_are_created_retrieved_updated_and_found_by_email(client):
    customer = client.customers.create(email="Grace@Example.com", name="Grace")
    assert client.customers.retrieve(customer.customer_id) == customer
    assert client.customers.update(customer.customer_id, name="Grace Hopper").name == "Grace Hopper"
    found = client.customers.list(email="grace@example.com", page_number=0)
    assert [c.customer_id for c in found.items] == [customer.customer_id]


def test_discounts_are_created_updated_listed_and_deleted(client):
    flat = client.discounts.create(type="flat", amount=500, code="fivebucks", currency_options=[
        {"currency": "USD", "is_default": True, "max_amount_possible": 500, "minimum_subtotal": 1000}])
    assert flat.code == "FIVEBUCKS"
    assert client.discounts.retrieve(flat.discount_id) == flat
    assert client.discounts.retrieve_by_code("FIVEBUCKS") == flat
    updated = client.discounts.update(flat.discount_id, amount=700)
    assert updated.amount == 700
    assert flat.discount_id in [d.discount_id for d in client.discounts.list(page_number=0).items]
    client.discounts.delete(flat.discount_id)
    with pytest.raises(dodopayments.NotFoundError):
        client.discounts.retrieve(flat.discount_id)


def test_brands_and_supported_countries(client):
    brands = client.brands.list()
    assert len(brands.items) >= 1
    assert client.brands.retrieve(brands.items[0].brand_id).brand_id == brands.items[0].brand_id
    countries = client.misc.list_supported_countries()
    assert {"US", "DE", "IN"} <= set(countries)
