"""Checks every response the SDK receives against the OpenAPI documents:

- Kassa's own, always: the running server's GET /openapi.json (OpenAPI 3.1,
  JSON Schema 2020-12). The operation is found by path template + method, the
  response by exact status, else its "4XX"/"5XX" range, else "default".
- Dodo's, where it is present: $KASSA_DODO_OPENAPI if set (a path that does
  not exist means "absent"; there is no fallback then), else
  ../shared/reference/dodo-openapi.json beside the repo. Under CI=true an
  absent Dodo document is an error, not a skip."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import httpx
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

REPO = Path(__file__).resolve().parents[2]
DEFAULT_DODO_SPEC = REPO.parent / "shared" / "reference" / "dodo-openapi.json"

# Statuses that carry no body (RFC 9110): there is nothing to validate.
BODYLESS = {204, 205, 304}


def dodo_spec_location() -> tuple[Path, str | None]:
    """Where Dodo's document is looked for, and why it is absent (None if present)."""
    from_env = os.environ.get("KASSA_DODO_OPENAPI")
    where = Path(from_env).resolve() if from_env else DEFAULT_DODO_SPEC.resolve()
    if where.is_file():
        return where, None
    return where, f"no dodo-openapi.json at {where}: set KASSA_DODO_OPENAPI or put ../shared beside the repo"


def load_dodo_spec() -> dict | None:
    """Dodo's document, ready to check against, or None where it is absent (an error under CI=true)."""
    where, missing = dodo_spec_location()
    if missing:
        if os.environ.get("CI") == "true":
            raise RuntimeError(f"CI=true and {missing}")
        return None
    spec = json.loads(where.read_text())
    # Metadata values are `oneOf [string, integer, number, boolean]`: an
    # integer also matches `number`, so `oneOf` rejects every integer value.
    # The intent is "any of"; check it as such.
    value = spec["components"]["schemas"]["Metadata"]["additionalProperties"]
    value["anyOf"] = value.pop("oneOf")
    return spec


def fetch_kassa_spec(base_url: str) -> dict:
    """Kassa's own document, as the server at `base_url` serves it."""
    response = httpx.get(f"{base_url.rstrip('/')}/openapi.json", timeout=10)
    response.raise_for_status()
    return response.json()


def _escape(segment: str) -> str:
    return segment.replace("~", "~0").replace("/", "~1")


def response_key(responses: dict, status: int) -> str | None:
    """The key of `responses` that documents `status`: exact, else "4XX"-style range, else "default"."""
    exact = str(status)
    if exact in responses:
        return exact
    range_key = next((k for k in responses if k.upper() == f"{exact[0]}XX"), None)
    if range_key is not None:
        return range_key
    return "default" if "default" in responses else None


class _Document:
    """One OpenAPI document: its routes (literal segments first) and a registry for its $refs."""

    def __init__(self, uri: str, label: str, spec: dict) -> None:
        self.uri, self.label, self.spec = uri, label, spec
        resource = Resource.from_contents(spec, default_specification=DRAFT202012)
        self.registry = Registry().with_resource(uri, resource)
        routes = []
        for template in spec.get("paths", {}):
            regex = re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$")
            literals = len([s for s in template.split("/") if s and not s.startswith("{")])
            routes.append((literals, template, regex))
        # Literal segments first, so `/products/short_links` beats `/products/{id}`.
        self.routes = sorted(routes, key=lambda r: -r[0])

    def operation(self, method: str, path: str) -> tuple[str, dict] | None:
        template = next((t for _, t, rx in self.routes if rx.match(path)), None)
        if template is None or method not in self.spec["paths"][template]:
            return None
        return template, self.spec["paths"][template][method]

    def errors(self, template: str, method: str, key: str, body) -> list:
        pointer = (
            f"{self.uri}#/paths/{_escape(template)}/{method}/responses/{_escape(key)}"
            "/content/application~1json/schema"
        )
        validator = Draft202012Validator({"$ref": pointer}, registry=self.registry)
        return sorted(validator.iter_errors(body), key=lambda e: list(e.path))


class ResponseChecker:
    """`kassa`: Kassa's OpenAPI document (checked always in the suites; see
    `for_server`). `dodo`: Dodo's document or None (absent: not checked)."""

    def __init__(self, kassa: dict | None = None, dodo: dict | None = None) -> None:
        self.kassa = _Document("urn:kassa-openapi", "Kassa's openapi.json", kassa) if kassa else None
        self.dodo = _Document("urn:dodo-openapi", "dodo-openapi.json", dodo) if dodo else None
        self.checked = 0  # responses checked against Kassa's document
        self.validated = 0  # ... of which a body was validated against a schema there
        self.dodo_checked = 0  # responses checked against Dodo's document
        self.failures: list[str] = []

    @classmethod
    def for_server(cls, base_url: str) -> ResponseChecker:
        """A checker over the server's own /openapi.json and, where present, Dodo's document."""
        return cls(kassa=fetch_kassa_spec(base_url), dodo=load_dodo_spec())

    def hook(self, response: httpx.Response) -> None:
        """An httpx response event hook."""
        response.read()
        self.check(response.request.method.lower(), response.request.url.path, response.status_code, response.text)

    def check(self, method: str, path: str, status: int, text: str) -> None:
        where = f"{method.upper()} {path} -> {status}"
        if self.kassa:
            self._check_kassa(method, path, status, text, where)
        if self.dodo:
            self._check_dodo(method, path, status, text, where)

    def _check_kassa(self, method: str, path: str, status: int, text: str, where: str) -> None:
        doc = self.kassa
        found = doc.operation(method, path)
        if found is None:
            self.failures.append(f"{where}: no such operation in {doc.label}")
            return
        template, operation = found
        self.checked += 1
        responses = operation.get("responses", {})
        key = response_key(responses, status)
        if key is None:
            self.failures.append(f"{where}: status not documented in {doc.label}")
            return
        if status in BODYLESS:
            # HTTP gives these no body, whatever schema the key found carries.
            if text != "":
                self.failures.append(f"{where}: a {status} has no body, got: {text[:200]}")
            return
        if responses[key].get("content", {}).get("application/json", {}).get("schema") is None:
            return
        try:
            body = json.loads(text)
        except ValueError:
            self.failures.append(f"{where}: body is not JSON, {doc.label} documents application/json: {text[:200]}")
            return
        self.validated += 1
        for e in doc.errors(template, method, key, body)[:5]:
            self.failures.append(f"{where}: {doc.label} ({key}): {list(e.path)}: {e.message}\n  body: {text[:600]}")

    def _check_dodo(self, method: str, path: str, status: int, text: str, where: str) -> None:
        doc = self.dodo
        found = doc.operation(method, path)
        if found is None:
            self.failures.append(f"{where}: no such operation in {doc.label}")
            return
        template, operation = found
        responses = operation.get("responses", {})
        self.dodo_checked += 1
        if status >= 400:
            # Dodo documents no error body schema; the SDKs read {code, message}.
            try:
                body = json.loads(text)
            except ValueError:
                body = None
            if not (isinstance(body, dict) and isinstance(body.get("code"), str)
                    and isinstance(body.get("message"), str)):
                self.failures.append(f"{where}: error body is not {{code, message}}: {text}")
            return
        schema = responses.get(str(status), {}).get("content", {}).get("application/json", {}).get("schema")
        if schema is None:
            if str(status) not in responses:
                self.failures.append(f"{where}: status not documented in {doc.label}")
            return
        for e in doc.errors(template, method, str(status), json.loads(text))[:5]:
            self.failures.append(f"{where}: {doc.label}: {list(e.path)}: {e.message}\n  body: {text[:600]}")

    def take_failures(self) -> list[str]:
        failures, self.failures = self.failures, []
        return failures

    def documents(self) -> str:
        return " and ".join(d.label for d in (self.kassa, self.dodo) if d)
