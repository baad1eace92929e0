"""Checks every response the SDK receives against the response schema of the
matching operation in Dodo's own OpenAPI document, read from ../shared."""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPEC_PATH = Path(__file__).resolve().parents[3] / "shared" / "reference" / "dodo-openapi.json"
SPEC_ID = "urn:dodo-openapi"


def _load_spec() -> dict:
    spec = json.loads(SPEC_PATH.read_text())
    # Metadata values are `oneOf [string, integer, number, boolean]`: an
    # integer also matches `number`, so `oneOf` rejects every integer value.
    # The intent is "any of"; check it as such.
    value = spec["components"]["schemas"]["Metadata"]["additionalProperties"]
    value["anyOf"] = value.pop("oneOf")
    return spec


def _escape(segment: str) -> str:
    return segment.replace("~", "~0").replace("/", "~1")


class ResponseChecker:
    def __init__(self) -> None:
        self.spec = _load_spec()
        resource = Resource.from_contents(self.spec, default_specification=DRAFT202012)
        self.registry = Registry().with_resource(SPEC_ID, resource)
        routes = []
        for template in self.spec["paths"]:
            regex = re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$")
            literals = len([s for s in template.split("/") if s and not s.startswith("{")])
            routes.append((literals, template, regex))
        # Literal segments first, so `/products/short_links` beats `/products/{id}`.
        self.routes = sorted(routes, key=lambda r: -r[0])
        self.checked = 0
        self.failures: list[str] = []

    def hook(self, response: httpx.Response) -> None:
        """An httpx response event hook."""
        response.read()
        self.check(response.request.method.lower(), response.request.url.path, response.status_code, response.text)

    def check(self, method: str, path: str, status: int, text: str) -> None:
        where = f"{method.upper()} {path} -> {status}"
        template = next((t for _, t, rx in self.routes if rx.match(path)), None)
        if template is None or method not in self.spec["paths"][template]:
            self.failures.append(f"{where}: no such operation in dodo-openapi.json")
            return
        responses = self.spec["paths"][template][method].get("responses", {})
        self.checked += 1
        if status >= 400:
            # Dodo documents no error body schema; the SDKs read {code, message}.
            body = json.loads(text)
            if not (isinstance(body.get("code"), str) and isinstance(body.get("message"), str)):
                self.failures.append(f"{where}: error body is not {{code, message}}: {text}")
            return
        schema = responses.get(str(status), {}).get("content", {}).get("application/json", {}).get("schema")
        if schema is None:
            if str(status) not in responses:
                self.failures.append(f"{where}: status not documented")
            return
        pointer = f"{SPEC_ID}#/paths/{_escape(template)}/{method}/responses/{status}/content/application~1json/schema"
        validator = Draft202012Validator({"$ref": pointer}, registry=self.registry)
        errors = sorted(validator.iter_errors(json.loads(text)), key=lambda e: list(e.path))
        for e in errors[:5]:
            self.failures.append(f"{where}: {list(e.path)}: {e.message}\n  body: {text[:600]}")

    def take_failures(self) -> list[str]:
        failures, self.failures = self.failures, []
        return failures
