"""Rules between fields that Kassa's OpenAPI document states in words but
JSON Schema cannot express (each is in the description of the schema it
belongs to), and ids in a body that only existing objects can fill.

A positive case (one the document calls valid) that breaks such a rule is a
request the document itself describes as refused, with a 422 naming the
field; so such cases are dropped here, not sent. Negative cases are never
dropped. The Rust API tests cover each rule being refused.

Loaded by run.sh through SCHEMATHESIS_HOOKS=hooks.
"""

from __future__ import annotations

import re
from datetime import datetime

import schemathesis
from schemathesis.openapi.checks import UseAfterFree


def _ids_unique(items, key):
    ids = [i.get(key) for i in items or [] if isinstance(i, dict)]
    return len(ids) == len(set(map(str, ids)))


def _number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _instant(raw):
    try:
        return datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except (AttributeError, ValueError):
        return None


def _cart(body):
    # Each product once (`use quantity`); custom-field keys unique.
    return _ids_unique(body.get("product_cart"), "product_id") and _ids_unique(
        body.get("custom_fields"), "key"
    )


def _new_discount(body):
    kind, amount = body.get("type"), body.get("amount")
    options = body.get("currency_options") or []
    if kind == "percentage" and isinstance(amount, int) and amount > 10000:
        return False
    if any(o.get("max_amount_possible") == 0 for o in options):
        return False
    if kind == "flat":
        if not options or any(o.get("max_amount_possible") is None for o in options):
            return False
        if len(options) > 1 and not any(o.get("is_default") for o in options):
            return False
    if sum(1 for o in options if o.get("is_default")) > 1:
        return False
    if not _ids_unique(options, "currency"):
        return False
    start, end = _instant(body.get("starts_at")), _instant(body.get("expires_at"))
    if start and end and start >= end:
        return False
    per, total = body.get("per_customer_usage_limit"), body.get("usage_limit")
    # JSON counts `119414.0` as an integer, and so does Kassa.
    if _number(per) and _number(total) and per > total:
        return False
    # Named products must exist: only the generator's luck would find one.
    return not body.get("restricted_to")


def _discount_patch(body):
    # A patch is checked merged with the stored discount, which the
    # generator cannot see: leave out the fields whose rules relate them.
    related = {"type", "amount", "currency_options", "starts_at", "expires_at",
               "usage_limit", "per_customer_usage_limit", "restricted_to"}
    return not (related & set(body))


def _product(body):
    # Addons and brands must exist (and be active); the rules between price
    # fields are the domain's (kassa_core::catalog::Price::check).
    if body.get("addons") or body.get("brand_id") is not None:
        return False
    price = body.get("price")
    if isinstance(price, dict):
        amount = price.get("price")
        suggested = price.get("suggested_price")
        if suggested is not None and (not price.get("pay_what_you_want") or suggested < (amount or 0)):
            return False
        trial = price.get("trial_amount")
        if trial is not None and (trial > (amount or 0) or not price.get("trial_period_days")):
            return False
    return True


RULES = {
    ("POST", "/checkouts"): _cart,
    ("POST", "/checkouts/preview"): _cart,
    ("POST", "/payments"): _cart,
    ("POST", "/discounts"): _new_discount,
    ("PATCH", "/discounts/{discount_id}"): _discount_patch,
    ("POST", "/products"): _product,
    ("PATCH", "/products/{id}"): _product,
    # Only an existing brand can fill `move_products_to`.
    ("POST", "/brands/{id}/archive"): lambda body: not body.get("move_products_to"),
}


@schemathesis.hook
def filter_case(context, case):
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or not isinstance(case.body, dict):
        return True
    rule = RULES.get((case.method.upper(), case.operation.path))
    return rule is None or rule(case.body)


# Dodo's DELETE /addons/{id} and DELETE /products/{id} archive: the object
# stays readable (with its archived state) and can be unarchived, as on Dodo.
ARCHIVED_ON_DELETE = re.compile(r"^/(addons|products)/\{id\}")


@schemathesis.hook
def filter_failure(context, failure, case, response):
    return not (isinstance(failure, UseAfterFree) and ARCHIVED_ON_DELETE.match(case.operation.path))
