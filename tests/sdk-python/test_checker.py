"""The schema checker itself must be able to fail, or the other tests prove nothing."""

import copy
import json

from openapi_check import ResponseChecker

# --- Against Kassa's own document (always): a small one in memory, shaped like
# the served /openapi.json (3.1, components/schemas with $ref, ranges, default).


def _json(ref: str) -> dict:
    return {"content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}}


KASSA_STYLE = {
    "openapi": "3.1.0",
    "info": {"title": "Kassa (checker self-test)", "version": "0"},
    "paths": {
        "/products/{id}": {
            "get": {
                "responses": {
                    "200": {"description": "ok", **_json("Product")},
                    "404": {"description": "not found", **_json("NotFound")},
                    "4XX": {"description": "client error", **_json("Error")},
                }
            }
        },
        "/products/short_links": {"get": {"responses": {"200": {"description": "ok", **_json("Page")}}}},
        "/products": {
            "get": {
                "responses": {
                    "200": {"description": "ok", **_json("Page")},
                    "default": {"description": "error", **_json("Error")},
                }
            }
        },
        "/metrics": {"get": {"responses": {"200": {"description": "text", "content": {"text/plain": {}}}}}},
    },
    "components": {
        "schemas": {
            "Product": {
                "type": "object",
                "required": ["product_id", "price"],
                "properties": {
                    "product_id": {"type": "string"},
                    "price": {"type": "integer"},
                    "metadata": {"$ref": "#/components/schemas/Metadata"},
                },
            },
            "Metadata": {"type": "object", "additionalProperties": {"type": ["string", "number", "boolean"]}},
            "Page": {"type": "object", "required": ["items"], "properties": {"items": {"type": "array"}}},
            "Error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
            },
            "NotFound": {
                "allOf": [{"$ref": "#/components/schemas/Error"}, {"properties": {"code": {"const": "NOT_FOUND"}}}]
            },
        }
    },
}


def kassa_checker() -> ResponseChecker:
    return ResponseChecker(kassa=copy.deepcopy(KASSA_STYLE))


def test_kassa_doc_a_body_missing_required_fields_behind_a_ref_is_reported():
    checker = kassa_checker()
    checker.check("get", "/products/pdt_x", 200, json.dumps({"product_id": 5}))
    assert checker.failures
    assert all("GET /products/pdt_x -> 200: Kassa's openapi.json (200)" in f for f in checker.failures)
    assert (checker.checked, checker.validated) == (1, 1)


def test_kassa_doc_a_matching_body_validates_clean_nested_refs_included():
    checker = kassa_checker()
    checker.check("get", "/products/pdt_x", 200, json.dumps({"product_id": "p", "price": 5, "metadata": {"n": 3}}))
    assert checker.failures == []
    checker.check("get", "/products/pdt_x", 200, json.dumps({"product_id": "p", "price": 5, "metadata": {"n": [3]}}))
    assert len(checker.failures) == 1


def test_kassa_doc_the_exact_status_wins_over_the_range_and_the_range_over_default():
    checker = kassa_checker()
    checker.check("get", "/products/pdt_x", 404, json.dumps({"code": "NOT_FOUND", "message": "no"}))
    assert checker.take_failures() == []
    checker.check("get", "/products/pdt_x", 404, json.dumps({"code": "OTHER", "message": "no"}))
    failures = checker.take_failures()
    assert len(failures) == 1 and "(404)" in failures[0]

    checker.check("get", "/products/pdt_x", 422, json.dumps({"code": "OTHER", "message": "no"}))
    assert checker.take_failures() == []
    checker.check("get", "/products/pdt_x", 422, json.dumps({"error": "nope"}))
    failures = checker.take_failures()
    assert failures and all("(4XX)" in f for f in failures)

    checker.check("get", "/products", 401, json.dumps({"error": "nope"}))
    failures = checker.take_failures()
    assert failures and all("(default)" in f for f in failures)


def test_kassa_doc_a_status_it_does_not_document_is_reported():
    checker = kassa_checker()
    checker.check("get", "/products/pdt_x", 500, json.dumps({"code": "X", "message": "y"}))
    assert len(checker.failures) == 1 and "status not documented in Kassa's openapi.json" in checker.failures[0]


def test_kassa_doc_an_operation_it_does_not_have_is_reported():
    checker = kassa_checker()
    checker.check("get", "/nonsense", 200, "{}")
    checker.check("delete", "/products", 200, "{}")
    assert len(checker.failures) == 2
    assert "no such operation in Kassa's openapi.json" in checker.failures[0]
    assert checker.checked == 0


def test_kassa_doc_literal_segments_win():
    checker = kassa_checker()
    checker.check("get", "/products/short_links", 200, json.dumps({"items": []}))
    assert checker.failures == []


def test_kassa_doc_a_204_is_not_parsed_but_must_be_empty():
    checker = kassa_checker()
    checker.check("get", "/products", 204, "")
    assert checker.take_failures() == []
    checker.check("get", "/products", 204, "{}")
    failures = checker.take_failures()
    assert len(failures) == 1 and "a 204 has no body" in failures[0]


def test_kassa_doc_non_json_where_json_is_documented_is_reported_other_media_are_not_parsed():
    checker = kassa_checker()
    checker.check("get", "/products/pdt_x", 200, "not json")
    assert len(checker.take_failures()) == 1
    checker.check("get", "/metrics", 200, "# HELP x\n")
    assert checker.failures == []
    assert checker.checked == 2


def test_the_suites_checker_holds_the_servers_own_openapi_and_an_error_body_outside_it_fails():
    from conftest import Kassa  # not the fixture: its teardown wants >= 10 checked responses

    kassa = Kassa()
    try:
        assert kassa.checker.kassa is not None
        assert kassa.checker.kassa.spec["openapi"].startswith("3.1.")
        kassa.checker.check("get", "/products", 401, json.dumps({"error": "nope"}))
        failures = kassa.checker.take_failures()
        assert any("Kassa's openapi.json" in f for f in failures), failures
    finally:
        kassa.stop()


# Against Dodo's document: test_checker_dodo.py (skipped as a whole where it is absent).
