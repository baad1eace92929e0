// The example against a real Kassa: its flow runs, a delivery Kassa signs is
// verified by the example's handler, and a forged one is refused with 400.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from './merchant.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const bin = process.env.KASSA_BIN ?? path.resolve(here, '../../target/debug/kassa');

/** A fresh Kassa on a free port: { url, key, stop() }. */
async function startKassa() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'kassa-example-node-'));
  const child = spawn(bin, ['serve', '--bind', '127.0.0.1:0'], {
    env: { ...process.env, KASSA_DATA_DIR: dataDir, RUST_LOG: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const out = await new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`kassa did not start: ${text}`)), 30_000);
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`kassa exited with ${code}: ${text}`)));
    child.stdout.on('data', (chunk) => {
      text += chunk;
      if (/Kassa listening on \S+/.test(text)) {
        clearTimeout(timer);
        resolve(text);
      }
    });
  });
  const stop = async () => {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  };
  return {
    url: out.match(/Kassa listening on (\S+)/)[1],
    key: out.match(/Test API key \(shown once\): (sk_test_\S+)/)[1],
    stop,
  };
}

async function until(predicate, what, ms = 15_000) {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) assert.fail(`waited ${ms} ms for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

let kassa;
let merchant;
before(async () => {
  kassa = await startKassa();
  merchant = await run({ baseURL: kassa.url, apiKey: kassa.key });
});
after(async () => {
  await merchant?.close();
  await kassa?.stop();
});

test('the flow registers the webhook endpoint and makes a checkout session', async () => {
  assert.match(merchant.endpoint.id, /^whk_/);
  assert.equal(merchant.endpoint.url, merchant.webhookUrl);
  assert.match(merchant.product.product_id, /^pdt_/);
  assert.match(merchant.session.session_id, /^cks_/);
  assert.equal(merchant.session.checkout_url, `${kassa.url}/session/${merchant.session.session_id}`);
  const page = await fetch(merchant.session.checkout_url);
  assert.equal(page.status, 200);
});

test("a delivery Kassa signs is verified by the example's handler", async () => {
  const res = await fetch(`${kassa.url}/kassa/webhooks/${merchant.endpoint.id}/trigger`, {
    method: 'POST',
    headers: { authorization: `Bearer ${kassa.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ event_type: 'payment.succeeded' }),
  });
  const sent = await res.json();
  assert.equal(res.status, 200, JSON.stringify(sent));
  await until(() => merchant.events.some((e) => e.type === 'payment.succeeded'), 'the verified delivery');
  const event = merchant.events.find((e) => e.type === 'payment.succeeded');
  assert.equal(event.data.payload_type, 'Payment');
});

test('a forged delivery is refused with 400 and never reaches the handler', async () => {
  const before = merchant.events.length;
  const body = JSON.stringify({ type: 'payment.succeeded', business_id: 'bus_x', timestamp: new Date().toISOString(), data: {} });
  const forged = await fetch(merchant.webhookUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': 'evt_forged',
      'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
      'webhook-signature': `v1,${Buffer.from('not the signature').toString('base64')}`,
    },
    body,
  });
  assert.equal(forged.status, 400);
  const unsigned = await fetch(merchant.webhookUrl, { method: 'POST', body });
  assert.equal(unsigned.status, 400);
  assert.equal(merchant.events.length, before);
});
