"""A real Kassa process for the SDK tests: a fresh data dir, port 0, the demo
business's test key read from its first-start output."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from dodopayments import DefaultHttpxClient, DodoPayments

from openapi_check import ResponseChecker

REPO = Path(__file__).resolve().parents[2]
BIN = os.environ.get("KASSA_BIN", str(REPO / "target" / "debug" / "kassa"))


class Kassa:
    def __init__(self) -> None:
        self.data_dir = tempfile.mkdtemp(prefix="kassa-sdk-py-")
        self.env = {**os.environ, "KASSA_DATA_DIR": self.data_dir, "RUST_LOG": "warn"}
        self.proc = subprocess.Popen(
            [BIN, "serve", "--bind", "127.0.0.1:0"], env=self.env, stdout=subprocess.PIPE, text=True
        )
        out = ""
        deadline = time.monotonic() + 30
        while "Kassa listening on" not in out:
            line = self.proc.stdout.readline()
            if not line or time.monotonic() > deadline:
                raise RuntimeError(f"kassa did not start: {out}")
            out += line
        self.key = re.search(r"Test API key \(shown once\): (sk_test_\S+)", out).group(1)
        self.url = re.search(r"Kassa listening on (\S+)", out).group(1)
        try:
            # Kassa's own /openapi.json always; Dodo's document where present.
            self.checker = ResponseChecker.for_server(self.url)
        except BaseException:
            self.stop()
            raise

    def client(self, api_key: str | None = None) -> DodoPayments:
        http = DefaultHttpxClient(event_hooks={"response": [self.checker.hook]})
        return DodoPayments(bearer_token=api_key or self.key, base_url=self.url, max_retries=0, http_client=http)

    def other_business_key(self) -> str:
        out = subprocess.run(
            [BIN, "keys", "create", "--new-business", "Other Shop"],
            env=self.env, check=True, capture_output=True, text=True,
        )
        return out.stdout.strip()

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=30)
        shutil.rmtree(self.data_dir, ignore_errors=True)


@pytest.fixture(scope="module")
def kassa():
    server = Kassa()
    yield server
    server.stop()
    checked = server.checker.checked
    assert checked >= 10, f"only {checked} responses were checked against Kassa's openapi.json"


@pytest.fixture
def client(kassa):
    c = kassa.client()
    yield c
    assert kassa.checker.take_failures() == [], f"every response validates against {kassa.checker.documents()}"

