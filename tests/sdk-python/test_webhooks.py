"""Webhook deliveries from a real Kassa, received by a local HTTP endpoint and
checked by the official PyPI SDK's `webhooks.unwrap` (Standard Webhooks via
`dodopayments[webhooks]`): a real purchase on the hosted page sends
`payment.succeeded`, which verifies as sent and is refused once tampered
with or presented too late."""

from __future__ import annotations

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from dodopayments import DodoPayments
from standardwebhooks.webhooks import WebhookVerificationError

from test_catalog import one_time
from test_payments import _post_form

WAIT = 15.0


class Receiver:
    """A local endpoint that answers 200 and keeps each request's raw bytes and headers."""

    def __init__(self) -> None:
        self.received: list[tuple[str, bytes, dict[str, str]]] = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("content-length", 0)))
                with receiver.lock:
                    receiver.received.append((self.path, raw, {k.lower(): v for k, v in self.headers.items()}))
                self.send_response(200)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def wait_for(self, path: str, event_type: str) -> tuple[bytes, dict[str, str]]:
        """The first delivery of `event_type` to `path` (raw body, lower-cased headers)."""
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            with self.lock:
                for at, raw, headers in self.received:
                    if at == path and json.loads(raw).get("type") == event_type:
                        return raw, headers
            time.sleep(0.02)
        raise AssertionError(f"no {event_type} delivery within {WAIT}s ({len(self.received)} received)")

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.stop()


@pytest.fixture
def endpoint(client, receiver):
    """An endpoint at a path of its own on the receiver: (path, id, secret); deleted afterwards."""
    made = []

    def make(name: str) -> tuple[str, str, str]:
        path = f"/hooks/{name}"
        e = client.webhooks.create(url=receiver.url(path), description=name)
        secret = client.webhooks.retrieve_secret(e.id).secret
        assert e.id.startswith("whk_") and secret.startswith("whsec_")
        made.append(e.id)
        return path, e.id, secret

    yield make
    for webhook_id in made:
        client.webhooks.delete(webhook_id)


def buy(client) -> None:
    """Buys a one-time product on the hosted page with a card that succeeds."""
    product = client.products.create(
        name="Hooked", tax_category="digital_products", price=one_time(1500, "USD")
    ).product_id
    session = client.checkout_sessions.create(
        product_cart=[{"product_id": product, "quantity": 1}],
        customer={"email": "hook@example.com", "name": "Hope"},
        billing_address={"country": "US", "state": "OR", "city": "Portland",
                         "street": "1 Oak St", "zipcode": "97201"},
    )
    status, _ = _post_form(
        f"{session.checkout_url}/pay",
        {"payment_method": "card", "card_number": "4242 4242 4242 4242",
         "card_expiry": "11/33", "card_cvc": "321"},
    )
    assert status == 303


def test_a_real_purchase_delivers_payment_succeeded_that_unwrap_verifies(kassa, client, receiver, endpoint):
    path, _, secret = endpoint("purchase")
    buy(client)
    raw, headers = receiver.wait_for(path, "payment.succeeded")
    body = raw.decode("utf-8")
    assert headers["webhook-id"].startswith("evt_")
    assert re.fullmatch(r"v1,[A-Za-z0-9+/]+=*", headers["webhook-signature"])

    verifier = DodoPayments(bearer_token=kassa.key, base_url=kassa.url, webhook_key=secret)
    event = verifier.webhooks.unwrap(body, headers=headers)
    assert event.type == "payment.succeeded"
    assert event.data.payload_type == "Payment"
    assert event.data.payment_id.startswith("pay_")
    payment = client.payments.retrieve(event.data.payment_id)
    assert payment.status == "succeeded"
    assert event.data.total_amount == payment.total_amount
    assert event.business_id == payment.business_id

    # The key can be given per call instead of on the client.
    keyless = DodoPayments(bearer_token=kassa.key, base_url=kassa.url, webhook_key=None)
    assert keyless.webhooks.unwrap(body, headers=headers, key=secret).data.payment_id == event.data.payment_id


def test_a_tampered_body_a_stale_timestamp_or_another_secret_is_refused_by_unwrap(kassa, client, receiver, endpoint):
    path, _, secret = endpoint("tamper")
    buy(client)
    raw, headers = receiver.wait_for(path, "payment.succeeded")
    body = raw.decode("utf-8")
    verifier = DodoPayments(bearer_token=kassa.key, base_url=kassa.url, webhook_key=secret)
    verifier.webhooks.unwrap(body, headers=headers)  # genuine: accepted

    # One character of the amount changed.
    tampered = re.sub(r'("total_amount":)(\d)', lambda m: m[1] + str((int(m[2]) + 1) % 10), body, count=1)
    assert tampered != body and len(tampered) == len(body)
    with pytest.raises(WebhookVerificationError, match="No matching signature"):
        verifier.webhooks.unwrap(tampered, headers=headers)

    # The genuine delivery presented ten minutes late.
    stale = {**headers, "webhook-timestamp": str(int(time.time()) - 600)}
    with pytest.raises(WebhookVerificationError, match="too old"):
        verifier.webhooks.unwrap(body, headers=stale)

    # Another endpoint's secret.
    _, _, other_secret = endpoint("other")
    assert other_secret != secret
    with pytest.raises(WebhookVerificationError, match="No matching signature"):
        verifier.webhooks.unwrap(body, headers=headers, key=other_secret)
