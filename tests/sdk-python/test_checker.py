"""The schema checker itself must be able to fail, or the other tests prove nothing."""

import json

from openapi_check import ResponseChecker


def test_a_product_body_missing_required_fields_is_reported():
    checker = ResponseChecker()
    checker.check("get", "/products/pdt_x", 200, json.dumps({"product_id": 5}))
    assert checker.failures and "GET /products/pdt_x -> 200" in checker.failures[0]


def test_an_error_body_without_code_and_message_is_reported():
    checker = ResponseChecker()
    checker.check("get", "/products", 401, json.dumps({"error": "nope"}))
    assert len(checker.failures) == 1


def test_an_operation_dodo_does_not_have_is_reported():
    checker = ResponseChecker()
    checker.check("get", "/nonsense", 200, "{}")
    assert len(checker.failures) == 1
