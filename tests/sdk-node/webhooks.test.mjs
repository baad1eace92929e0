// Webhook deliveries from a real Kassa, received by a local HTTP endpoint and
// checked by the official verifiers: the npm SDK's `webhooks.unwrap` and
// `@dodopayments/core`'s `verifyWebhookPayload` plus its zod schemas (what
// the framework adapters run). A real purchase on the hosted page sends
// `payment.succeeded`; every one of the 48 event types is sent as a sample.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import DodoPayments from 'dodopayments';
import { verifyWebhookPayload } from '@dodopayments/core';
import * as schemas from '@dodopayments/core/schemas';
import { Kassa } from './lib/kassa.mjs';

const WAIT_MS = 15_000;

// Dodo's 48 event types (dodo-api.md §12.4; Kassa's EventType).
const EVENT_TYPES = [
  'payment.succeeded', 'payment.failed', 'payment.processing', 'payment.cancelled',
  'refund.succeeded', 'refund.failed',
  'dispute.opened', 'dispute.expired', 'dispute.accepted', 'dispute.cancelled',
  'dispute.challenged', 'dispute.won', 'dispute.lost',
  'subscription.active', 'subscription.renewed', 'subscription.on_hold', 'subscription.past_due',
  'subscription.paused', 'subscription.unpaused', 'subscription.cancelled', 'subscription.failed',
  'subscription.expired', 'subscription.plan_changed', 'subscription.updated',
  'subscription.update_payment_method',
  'license_key.created',
  'payout.created', 'payout.on_hold', 'payout.in_progress', 'payout.failed', 'payout.success',
  'credit.added', 'credit.deducted', 'credit.expired', 'credit.rolled_over',
  'credit.rollover_forfeited', 'credit.overage_charged', 'credit.overage_reset',
  'credit.manual_adjustment', 'credit.balance_low',
  'abandoned_checkout.detected', 'abandoned_checkout.recovered',
  'dunning.started', 'dunning.recovered',
  'entitlement_grant.created', 'entitlement_grant.delivered', 'entitlement_grant.failed',
  'entitlement_grant.revoked',
];
// The one type @dodopayments/core 0.3.15 does not know (its fallback takes it).
const UNKNOWN_TO_CORE = 'subscription.past_due';

// core's per-type schemas, by the `type` literal each one pins.
const SCHEMA_BY_TYPE = new Map(
  Object.entries(schemas)
    .filter(([name]) => name.endsWith('PayloadSchema') && !/^(Unknown)?WebhookPayloadSchema$/.test(name))
    .map(([, schema]) => [schema.shape.type.value, schema]),
);

/** A local endpoint that answers 200 and keeps each request's raw bytes and headers. */
class Receiver {
  static async start() {
    const receiver = new Receiver();
    await new Promise((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  constructor() {
    this.received = [];
    this.server = http.createServer((req, res) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        this.received.push({ raw, body: raw.toString('utf8'), headers: { ...req.headers } });
        res.writeHead(200).end();
      });
    });
  }

  get url() {
    const { port } = this.server.address();
    return `http://127.0.0.1:${port}/hooks`;
  }

  /** The deliveries matching `pick`, once `count` distinct events (by webhook-id) have come. */
  async waitFor(pick, count = 1) {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const found = this.received.filter(pick);
      if (new Set(found.map((d) => d.headers['webhook-id'])).size >= count) return found;
      if (Date.now() > deadline) {
        assert.fail(`waited ${WAIT_MS} ms for ${count} deliveries, got ${found.length} ` +
          `(${this.received.length} in all)`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async stop() {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

const typeOf = (delivery) => {
  try {
    return JSON.parse(delivery.body).type;
  } catch {
    return undefined;
  }
};

/**
 * Parses a delivered body with core's WebhookPayloadSchema, requiring the
 * known-type branch (the unknown-type fallback must refuse it). On failure
 * the per-type schema's own errors name the offending fields.
 */
function assertKnownTypeParse(body, type) {
  const json = JSON.parse(body);
  const known = SCHEMA_BY_TYPE.get(type);
  assert.ok(known, `@dodopayments/core has a schema for ${type}`);
  const own = known.safeParse(json);
  assert.ok(own.success, `${type} fails ${type}'s schema: ${JSON.stringify(own.error?.issues)}\n  body: ${body}`);
  assert.ok(schemas.WebhookPayloadSchema.safeParse(json).success, `${type}: WebhookPayloadSchema parses it`);
  assert.equal(schemas.UnknownWebhookPayloadSchema.safeParse(json).success, false,
    `${type}: the unknown-type fallback does not take it`);
}

function withTimestamp(headers, seconds) {
  return { ...headers, 'webhook-timestamp': String(seconds) };
}

let kassa;
let client;
before(async () => {
  kassa = await Kassa.start();
  client = kassa.client();
});
after(async () => kassa?.stop());
afterEach(() => kassa.checker.assertClean(assert));

async function endpointFor(receiver, description) {
  const endpoint = await client.webhooks.create({ url: receiver.url, description });
  assert.match(endpoint.id, /^whk_/);
  const { secret } = await client.webhooks.retrieveSecret(endpoint.id);
  assert.match(secret, /^whsec_/);
  return { id: endpoint.id, secret };
}

/** Buys a one-time product on the hosted page with a card that succeeds. */
async function buy() {
  const product = (await client.products.create({
    name: 'Hooked', tax_category: 'digital_products',
    price: { type: 'one_time_price', price: 1500, currency: 'USD', discount: 0, purchasing_power_parity: false },
  })).product_id;
  const session = await client.checkoutSessions.create({
    product_cart: [{ product_id: product, quantity: 1 }],
    customer: { email: 'hook@example.com', name: 'Hope' },
    billing_address: { country: 'US', state: 'OR', city: 'Portland', street: '1 Oak St', zipcode: '97201' },
  });
  const form = new URLSearchParams({
    payment_method: 'card', card_number: '4242 4242 4242 4242', card_expiry: '11/33', card_cvc: '321',
  });
  const paid = await fetch(`${session.checkout_url}/pay`, { method: 'POST', body: form, redirect: 'manual' });
  assert.equal(paid.status, 303, await paid.text());
  return session.session_id;
}

test('a real purchase delivers payment.succeeded that the SDK and @dodopayments/core verify and parse, and reject once tampered or stale', async () => {
  const receiver = await Receiver.start();
  let id;
  try {
    let secret;
    ({ id, secret } = await endpointFor(receiver, 'purchase'));
    await buy();
    const [delivery] = await receiver.waitFor((d) => typeOf(d) === 'payment.succeeded');
    const { body, headers } = delivery;
    const event = JSON.parse(body);
    const paymentId = event.data.payment_id;
    assert.match(paymentId, /^pay_/);
    assert.equal(headers['content-type'], 'application/json');
    assert.match(headers['webhook-id'], /^evt_/);
    assert.match(headers['webhook-signature'], /^v1,[A-Za-z0-9+/]+=*$/);

    // The body is the canonical compact JSON the adapters re-serialise.
    assert.equal(JSON.stringify(JSON.parse(body)), body, 'body is byte-exact JSON.stringify output');
    assert.ok(Buffer.from(JSON.stringify(event), 'utf8').equals(delivery.raw), 'raw bytes are the UTF-8 of it');

    // The npm SDK's unwrap verifies the signature and returns the event.
    const verifier = new DodoPayments({ bearerToken: kassa.key, baseURL: kassa.url, webhookKey: secret });
    const unwrapped = verifier.webhooks.unwrap(body, { headers });
    assert.equal(unwrapped.type, 'payment.succeeded');
    assert.equal(unwrapped.data.payment_id, paymentId);
    assert.equal(unwrapped.data.payload_type, 'Payment');
    assert.equal(unwrapped.business_id, event.business_id);

    // It is the payment as the API shows it.
    const payment = await client.payments.retrieve(paymentId);
    assert.equal(payment.status, 'succeeded');
    assert.equal(unwrapped.data.total_amount, payment.total_amount);

    // @dodopayments/core verifies it and parses it as a known payment.succeeded.
    const verified = await verifyWebhookPayload({ webhookKey: secret, headers, body });
    assert.equal(verified.type, 'payment.succeeded');
    assert.equal(verified.data.payment_id, paymentId);
    assert.ok(verified.timestamp instanceof Date && !Number.isNaN(verified.timestamp.valueOf()));
    assertKnownTypeParse(body, 'payment.succeeded');

    // One character of the amount changed: the signature no longer matches.
    const tampered = body.replace(/("total_amount":)(\d)/, (_, key, digit) => key + ((Number(digit) + 1) % 10));
    assert.notEqual(tampered, body);
    assert.equal(tampered.length, body.length);
    assert.throws(() => verifier.webhooks.unwrap(tampered, { headers }), /No matching signature/);
    await assert.rejects(verifyWebhookPayload({ webhookKey: secret, headers, body: tampered }), /No matching signature/);

    // The genuine delivery presented ten minutes late is refused as too old.
    const stale = withTimestamp(headers, Math.floor(Date.now() / 1000) - 600);
    assert.throws(() => verifier.webhooks.unwrap(body, { headers: stale }), /timestamp too old/);
    await assert.rejects(verifyWebhookPayload({ webhookKey: secret, headers: stale, body }), /timestamp too old/);

    // A different endpoint's secret does not verify it either.
    const other = await endpointFor(receiver, 'other');
    assert.notEqual(other.secret, secret);
    assert.throws(() => verifier.webhooks.unwrap(body, { headers, key: other.secret }), /No matching signature/);
    await client.webhooks.delete(other.id);
  } finally {
    if (id) await client.webhooks.delete(id);
    await receiver.stop();
  }
});

test('a sample of each of the 48 event types verifies with @dodopayments/core and parses as its known type (past_due by the unknown fallback)', async () => {
  assert.equal(new Set(EVENT_TYPES).size, 48);
  assert.deepEqual(
    EVENT_TYPES.filter((t) => !SCHEMA_BY_TYPE.has(t)),
    [UNKNOWN_TO_CORE],
    'core 0.3.15 knows every type but subscription.past_due',
  );
  assert.equal(SCHEMA_BY_TYPE.size, 47);

  const receiver = await Receiver.start();
  let id;
  try {
    let secret;
    ({ id, secret } = await endpointFor(receiver, 'every type'));
    const sent = new Map();
    for (const type of EVENT_TYPES) {
      const res = await fetch(`${kassa.url}/kassa/webhooks/${id}/trigger`, {
        method: 'POST',
        headers: { authorization: `Bearer ${kassa.key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ event_type: type }),
      });
      const out = await res.json();
      assert.equal(res.status, 200, JSON.stringify(out));
      assert.equal(out.type, type);
      assert.match(out.event_id, /^evt_/);
      sent.set(out.event_id, type);
    }
    const deliveries = await receiver.waitFor((d) => sent.has(d.headers['webhook-id']), sent.size);

    const seen = new Set();
    const failures = [];
    for (const { body, headers } of deliveries) {
      const type = sent.get(headers['webhook-id']);
      if (seen.has(headers['webhook-id'])) continue; // a redelivery of one already checked
      seen.add(headers['webhook-id']);
      try {
        assert.equal(JSON.stringify(JSON.parse(body)), body, `${type}: body is canonical compact JSON`);
        const verified = await verifyWebhookPayload({ webhookKey: secret, headers, body });
        assert.equal(verified.type, type);
        if (type === UNKNOWN_TO_CORE) {
          const json = JSON.parse(body);
          assert.ok(schemas.UnknownWebhookPayloadSchema.safeParse(json).success, `${type}: taken by the fallback`);
          assert.equal(json.data.payload_type, 'Subscription');
        } else {
          assertKnownTypeParse(body, type);
        }
      } catch (e) {
        failures.push(`${type}: ${e.message}`);
      }
    }
    assert.equal(seen.size, 48, 'one delivery per event type');
    assert.deepEqual(failures, [], 'every delivery verifies and parses');
  } finally {
    if (id) await client.webhooks.delete(id);
    await receiver.stop();
  }
});
