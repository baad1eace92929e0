"""The schema checker against Dodo's OpenAPI document, where it is present (under
CI=true it must be): it must be able to fail, or the other tests prove nothing."""

import copy
import json
import os

import pytest

from openapi_check import ResponseChecker, dodo_spec_location, load_dodo_spec
from test_checker import KASSA_STYLE

_, _missing = dodo_spec_location()
if _missing and os.environ.get("CI") != "true":
    pytest.skip(f"skipped: Dodo-schema self-tests ({_missing})", allow_module_level=True)


@pytest.fixture(scope="module")
def dodo_spec():
    return load_dodo_spec()


def test_a_product_body_missing_required_fields_is_reported(dodo_spec):
    checker = ResponseChecker(dodo=dodo_spec)
    checker.check("get", "/products/pdt_x", 200, json.dumps({"product_id": 5}))
    assert checker.failures and "GET /products/pdt_x -> 200" in checker.failures[0]


def test_an_error_body_without_code_and_message_is_reported(dodo_spec):
    checker = ResponseChecker(dodo=dodo_spec)
    checker.check("get", "/products", 401, json.dumps({"error": "nope"}))
    assert len(checker.failures) == 1


def test_an_operation_dodo_does_not_have_is_reported(dodo_spec):
    checker = ResponseChecker(dodo=dodo_spec)
    checker.check("get", "/nonsense", 200, "{}")
    assert len(checker.failures) == 1 and "no such operation in dodo-openapi.json" in checker.failures[0]


def test_both_documents_a_failure_against_either_is_reported_each_by_name(dodo_spec):
    checker = ResponseChecker(kassa=copy.deepcopy(KASSA_STYLE), dodo=dodo_spec)
    checker.check("get", "/products/pdt_x", 200, json.dumps({"product_id": 5}))
    assert any("Kassa's openapi.json" in f for f in checker.failures)
    assert any("dodo-openapi.json" in f for f in checker.failures)
    assert (checker.checked, checker.dodo_checked) == (1, 1)
