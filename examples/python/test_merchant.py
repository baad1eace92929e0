"""The example against a real Kassa: its flow runs, a delivery Kassa signs is
verified by the example's handler, and a forged one is refused with 400."""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from merchant import run

HERE = Path(__file__).resolve().parent
BIN = os.environ.get("KASSA_BIN", str(HERE.parents[1] / "target" / "debug" / "kassa"))


@pytest.fixture(scope="module")
def kassa():
    """A fresh Kassa on a free port: (url, key)."""
    data_dir = tempfile.mkdtemp(prefix="kassa-example-py-")
    env = {**os.environ, "KASSA_DATA_DIR": data_dir, "RUST_LOG": "warn"}
    proc = subprocess.Popen([BIN, "serve", "--bind", "127.0.0.1:0"], env=env, stdout=subprocess.PIPE, text=True)
    out = ""
    deadline = time.monotonic() + 30
    while "Kassa listening on" not in out:
        line = proc.stdout.readline()
        if not line or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError(f"kassa did not start: {out}")
        out += line
    key = re.search(r"Test API key \(shown once\): (sk_test_\S+)", out).group(1)
    url = re.search(r"Kassa listening on (\S+)", out).group(1)
    yield url, key
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=30)
    shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture(scope="module")
def merchant(kassa):
    url, key = kassa
    m = run(base_url=url, api_key=key)
    yield m
    m.close()


def post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def test_the_flow_registers_the_webhook_endpoint_and_makes_a_checkout_session(kassa, merchant):
    url, _ = kassa
    assert merchant.endpoint.id.startswith("whk_")
    assert merchant.endpoint.url == merchant.webhook_url
    assert merchant.product.product_id.startswith("pdt_")
    assert merchant.session.session_id.startswith("cks_")
    assert merchant.session.checkout_url == f"{url}/session/{merchant.session.session_id}"
    with urllib.request.urlopen(merchant.session.checkout_url, timeout=10) as page:
        assert page.status == 200


def test_a_delivery_kassa_signs_is_verified_by_the_examples_handler(kassa, merchant):
    url, key = kassa
    status, body = post(
        f"{url}/kassa/webhooks/{merchant.endpoint.id}/trigger",
        json.dumps({"event_type": "payment.succeeded"}).encode(),
        {"authorization": f"Bearer {key}", "content-type": "application/json"},
    )
    assert status == 200, body
    deadline = time.monotonic() + 15
    while not any(e.type == "payment.succeeded" for e in merchant.events):
        assert time.monotonic() < deadline, "no verified payment.succeeded delivery within 15 s"
        time.sleep(0.02)
    event = next(e for e in merchant.events if e.type == "payment.succeeded")
    assert event.data.payload_type == "Payment"


def test_a_forged_delivery_is_refused_with_400_and_never_reaches_the_handler(merchant):
    before = len(merchant.events)
    body = json.dumps({"type": "payment.succeeded", "business_id": "bus_x", "data": {}}).encode()
    forged = {
        "content-type": "application/json",
        "webhook-id": "evt_forged",
        "webhook-timestamp": str(int(time.time())),
        "webhook-signature": "v1," + base64.b64encode(b"not the signature").decode(),
    }
    assert post(merchant.webhook_url, body, forged)[0] == 400
    assert post(merchant.webhook_url, body, {"content-type": "application/json"})[0] == 400
    assert len(merchant.events) == before
