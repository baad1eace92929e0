// One-time payments and short links through the official npm SDK: a payment
// link is opened, replayed by idempotency key, paid on the hosted page and
// read back; a product short link is made and listed. Every response is
// schema-checked against Dodo's OpenAPI.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import DodoPayments from 'dodopayments';
import { Kassa } from './lib/kassa.mjs';

let kassa;
let client;
let mug;
before(async () => {
  kassa = await Kassa.start();
  client = kassa.client();
  mug = (await client.products.create({
    name: 'Mug', tax_category: 'digital_products',
    price: { type: 'one_time_price', price: 1500, currency: 'USD', discount: 0, purchasing_power_parity: false },
  })).product_id;
});
after(async () => kassa?.stop());
afterEach(() => kassa.checker.assertClean(assert));

const request = () => ({
  billing: { country: 'US', state: 'NY', zipcode: '10001' },
  customer: { email: 'pat@example.com', name: 'Pat' },
  product_cart: [{ product_id: mug, quantity: 2 }],
  payment_link: true,
  return_url: 'https://merchant.example/paid',
  redirect_immediately: true,
});

test('a payment link is created, replayed, paid on the page and read back', async () => {
  const opts = { headers: { 'Idempotency-Key': 'mug-order-1' } };
  const created = await client.payments.create(request(), opts);
  assert.match(created.payment_id, /^pay_[0-9A-Za-z]{21}$/);
  assert.ok(created.payment_link.startsWith(`${kassa.url}/session/cks_`));
  assert.equal(created.customer.email, 'pat@example.com');
  const again = await client.payments.create(request(), opts);
  assert.equal(again.payment_id, created.payment_id, 'the same key replays the payment');
  await assert.rejects(
    client.payments.create({ ...request(), metadata: { other: 'body' } }, opts),
    (e) => e instanceof DodoPayments.ConflictError && e.headers.get('x-should-retry') === 'false',
  );

  const pending = await client.payments.retrieve(created.payment_id);
  assert.equal(pending.status, 'requires_payment_method');

  const form = new URLSearchParams({
    payment_method: 'card', street: '5 Ave', city: 'New York', card_number: '4242 4242 4242 4242', card_expiry: '12/40',
    card_cvc: '123', cardholder_name: 'Pat',
  });
  const paid = await fetch(`${created.payment_link}/pay`, { method: 'POST', body: form, redirect: 'manual' });
  assert.equal(paid.status, 303);
  const location = new URL(paid.headers.get('location'));
  assert.equal(location.origin + location.pathname, 'https://merchant.example/paid');
  assert.equal(location.searchParams.get('payment_id'), created.payment_id);
  assert.equal(location.searchParams.get('status'), 'succeeded');

  const done = await client.payments.retrieve(created.payment_id);
  assert.equal(done.status, 'succeeded');
  assert.equal(done.total_amount, created.total_amount);
  const items = await client.payments.retrieveLineItems(created.payment_id);
  assert.equal(items.items.reduce((s, i) => s + i.amount, 0), done.total_amount);

  // The card that paid is kept for the customer, and charges again unattended.
  const methods = await client.customers.retrievePaymentMethods(created.customer.customer_id);
  assert.equal(methods.items.length, 1);
  assert.equal(methods.items[0].card.last4_digits, '4242');
  const repeat = await client.payments.create({
    ...request(), payment_link: false,
    customer: { customer_id: created.customer.customer_id },
    payment_method_id: methods.items[0].payment_method_id,
  });
  assert.equal((await client.payments.retrieve(repeat.payment_id)).status, 'succeeded');
  await client.customers.deletePaymentMethod(methods.items[0].payment_method_id, {
    customer_id: created.customer.customer_id,
  });
  assert.equal((await client.customers.retrievePaymentMethods(created.customer.customer_id)).items.length, 0);
});

test('a subscription product cannot be sold as a one-time payment', async () => {
  const plan = (await client.products.create({
    name: 'Plan', tax_category: 'saas',
    price: {
      type: 'recurring_price', price: 900, currency: 'USD', discount: 0, purchasing_power_parity: false,
      payment_frequency_count: 1, payment_frequency_interval: 'Month',
      subscription_period_count: 1, subscription_period_interval: 'Year',
    },
  })).product_id;
  await assert.rejects(
    client.payments.create({ ...request(), product_cart: [{ product_id: plan, quantity: 1 }] }),
    (e) => e instanceof DodoPayments.UnprocessableEntityError && /subscription/.test(e.error.message),
  );
});

test('a product short link is created, listed and leads to the static link', async () => {
  const link = await client.products.shortLinks.create(mug, {
    slug: 'mug-deal', static_checkout_params: { quantity: '3' },
  });
  assert.equal(link.short_url, `${kassa.url}/l/mug-deal`);
  assert.equal(link.full_url, `${kassa.url}/buy/${mug}?quantity=3`);
  const hop = await fetch(link.short_url, { redirect: 'manual' });
  assert.equal(hop.status, 303);
  const page = await client.products.shortLinks.list({ product_id: mug, page_number: 0 });
  assert.deepEqual(page.items.map((i) => i.short_url), [link.short_url]);
  await assert.rejects(
    client.products.shortLinks.create(mug, { slug: 'mug-deal' }),
    (e) => e instanceof DodoPayments.ConflictError,
  );
});
