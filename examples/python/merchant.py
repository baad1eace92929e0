"""A merchant integration on the official dodopayments PyPI SDK, pointed at
Kassa by its base URL only:

1. a webhook endpoint (http.server, in a thread) that verifies every delivery
   with the SDK's own verifier (client.webhooks.unwrap) and answers 400 to
   one that does not verify;
2. that endpoint registered with POST /webhooks, its signing secret read;
3. a product and a checkout session for it; the customer pays at
   session.checkout_url.

Run: DODO_PAYMENTS_BASE_URL=http://127.0.0.1:8080 DODO_PAYMENTS_API_KEY=sk_test_... python merchant.py
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from dodopayments import DodoPayments


def webhook_handler(verifier: DodoPayments, on_event) -> type[BaseHTTPRequestHandler]:
    """The webhook endpoint's request handler. `verifier` is a DodoPayments client
    made with the endpoint's secret as `webhook_key`; `on_event` gets each event
    that verified."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            # Verify the raw body exactly as it came: re-serialised JSON would not match the signature.
            body = self.rfile.read(int(self.headers.get("content-length", 0))).decode("utf-8")
            headers = {k.lower(): v for k, v in self.headers.items()}
            try:
                # Raises unless webhook-id/-timestamp/-signature match the body.
                event = verifier.webhooks.unwrap(body, headers=headers)
            except Exception as e:  # standardwebhooks' WebhookVerificationError, or a body that is not JSON
                print(f"webhook rejected: {e}", flush=True)
                self._answer(400, b"invalid signature\n")
                return
            print(f"webhook verified: {event.type} ({headers.get('webhook-id')})", flush=True)
            on_event(event)
            self._answer(200, b"")

        def _answer(self, status: int, body: bytes) -> None:
            self.send_response(status)
            self.send_header("content-type", "text/plain")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    return Handler


@dataclass
class Merchant:
    client: DodoPayments
    server: ThreadingHTTPServer
    endpoint: object
    webhook_url: str
    product: object
    session: object
    events: list = field(default_factory=list)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def run(base_url: str | None = None, api_key: str | None = None, port: int = 0, host: str = "127.0.0.1",
        return_url: str = "https://example.com/thanks") -> Merchant:
    """The whole integration. Arguments default to the SDK's own environment
    variables (DODO_PAYMENTS_BASE_URL, DODO_PAYMENTS_API_KEY); `port` is the
    webhook endpoint's (0: any free one)."""
    options = {k: v for k, v in {"base_url": base_url, "bearer_token": api_key}.items() if v}
    client = DodoPayments(**options)

    # 1. The webhook endpoint's socket, listening before it is registered; it
    #    serves once it has the endpoint's secret (deliveries wait in the backlog).
    events: list = []
    server = ThreadingHTTPServer((host, port), BaseHTTPRequestHandler)
    webhook_url = f"http://{host}:{server.server_address[1]}/webhooks/dodo"

    # 2. Registered with the API; its secret signs every delivery to it.
    endpoint = client.webhooks.create(url=webhook_url, description="example merchant")
    secret = client.webhooks.retrieve_secret(endpoint.id).secret
    verifier = DodoPayments(**options, webhook_key=secret)
    server.RequestHandlerClass = webhook_handler(verifier, events.append)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    # 3. Something to sell, and a checkout session for it.
    product = client.products.create(
        name="E-book",
        tax_category="e_book",
        price={"type": "one_time_price", "price": 1500, "currency": "USD", "discount": 0,
               "purchasing_power_parity": False},
    )
    session = client.checkout_sessions.create(
        product_cart=[{"product_id": product.product_id, "quantity": 1}],
        return_url=return_url,
    )
    return Merchant(client, server, endpoint, webhook_url, product, session, events)


if __name__ == "__main__":
    merchant = run(port=int(os.environ.get("PORT", "4001")))
    print(f"webhook endpoint {merchant.endpoint.id} at {merchant.webhook_url}")
    print(f"checkout: {merchant.session.checkout_url}")
    print("pay there (card 4242 4242 4242 4242); deliveries are logged here. Ctrl-C to stop.", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        merchant.client.webhooks.delete(merchant.endpoint.id)  # endpoints are limited per business (5 by default)
        merchant.close()
