// Checkout sessions through the official npm SDK: create, preview, retrieve,
// idempotent replay; every response schema-checked.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import DodoPayments from 'dodopayments';
import { Kassa } from './lib/kassa.mjs';

let kassa;
let client;
let ebook;
let plan;
before(async () => {
  kassa = await Kassa.start();
  client = kassa.client();
  ebook = (await client.products.create({
    name: 'E-book', tax_category: 'e_book',
    price: { type: 'one_time_price', price: 2000, currency: 'EUR', discount: 0, purchasing_power_parity: false },
  })).product_id;
  plan = (await client.products.create({
    name: 'Plan', tax_category: 'saas',
    price: {
      type: 'recurring_price', price: 1000, currency: 'EUR', discount: 0, purchasing_power_parity: false,
      payment_frequency_count: 1, payment_frequency_interval: 'Month',
      subscription_period_count: 1, subscription_period_interval: 'Year', trial_period_days: 7,
    },
  })).product_id;
  await client.discounts.create({ type: 'percentage', amount: 2500, code: 'QUARTER' });
});
after(async () => kassa?.stop());
afterEach(() => kassa.checker.assertClean(assert));

test('a session is created, previewed and retrieved', async () => {
  const request = {
    product_cart: [{ product_id: ebook, quantity: 2 }, { product_id: plan, quantity: 1 }],
    customer: { email: 'ada@example.com', name: 'Ada' },
    billing_address: { country: 'FR' },
    discount_codes: ['QUARTER'],
    return_url: 'https://merchant.example/thanks',
    customization: { theme: 'dark', force_language: 'fr' },
    feature_flags: { allow_discount_code: false },
  };
  const session = await client.checkoutSessions.create(request);
  assert.match(session.session_id, /^cks_[0-9A-Za-z]{21}$/);
  assert.equal(session.checkout_url, `${kassa.url}/session/${session.session_id}`);

  const preview = await client.checkoutSessions.preview(request);
  assert.equal(preview.currency, 'EUR');
  assert.equal(preview.billing_country, 'FR');
  // Today: two e-books (4000) less 25% = 3000, plus 5.5% French e-book VAT
  // (rates.csv: FR,*,e_book,55000) on top, as prices are tax-exclusive unless
  // they say otherwise: 3000 × 0.055 = 165, total 3165. The plan is in a
  // 7-day free trial, so it adds nothing today.
  assert.deepEqual(preview.current_breakup, { subtotal: 4000, discount: 1000, tax: 165, total_amount: 3165 });
  assert.equal(preview.total_price, 3165);
  assert.equal(preview.total_tax, 165);
  assert.equal(preview.trial_period_days, 7);
  // Each renewal: the plan (1000) less 25% = 750, plus French standard VAT
  // (FR,*,*,200000) 20% = 150, total 900.
  assert.deepEqual(preview.recurring_breakup, { subtotal: 1000, discount: 250, tax: 150, total_amount: 900 });
  const [bookLine, planLine] = preview.product_cart;
  assert.equal(bookLine.product_id, ebook);
  assert.deepEqual(
    [bookLine.og_price, bookLine.discounted_price, bookLine.tax, bookLine.tax_rate, bookLine.tax_inclusive],
    [4000, 3000, 165, 550, false],
  );
  assert.equal(planLine.product_id, plan);
  assert.equal(planLine.tax, 0, 'nothing is taxed during the free trial');
  const sum = preview.product_cart.reduce((s, l) => s + l.discounted_price + (l.tax_inclusive ? 0 : l.tax), 0);
  assert.equal(sum, preview.total_price, 'lines add up to the total');

  const status = await client.checkoutSessions.retrieve(session.session_id);
  assert.equal(status.id, session.session_id);
  assert.equal(status.customer_email, 'ada@example.com');
  assert.equal(status.payment_id, null);
});

test('an idempotency key replays the first session', async () => {
  const body = { product_cart: [{ product_id: ebook, quantity: 1 }] };
  // The SDK has no idempotency option configured for Dodo; the header is
  // passed per request, as a merchant would.
  const opts = { headers: { 'Idempotency-Key': 'order-42' } };
  const first = await client.checkoutSessions.create(body, opts);
  const again = await client.checkoutSessions.create(body, opts);
  assert.equal(again.session_id, first.session_id);
  await assert.rejects(
    client.checkoutSessions.create({ ...body, metadata: { other: 'body' } }, opts),
    (e) => e instanceof DodoPayments.ConflictError && e.headers.get('x-should-retry') === 'false',
  );
});

test('an unknown product is a NotFoundError and an archived one is refused', async () => {
  await assert.rejects(
    client.checkoutSessions.create({ product_cart: [{ product_id: 'pdt_000000000000000000000', quantity: 1 }] }),
    DodoPayments.NotFoundError,
  );
  const gone = (await client.products.create({
    name: 'Gone', tax_category: 'saas',
    price: { type: 'one_time_price', price: 100, currency: 'EUR', discount: 0, purchasing_power_parity: false },
  })).product_id;
  await client.products.archive(gone);
  await assert.rejects(
    client.checkoutSessions.preview({ product_cart: [{ product_id: gone, quantity: 1 }] }),
    (e) => e.status === 422 && e.error.code === 'PRODUCT_IS_DELETED',
  );
});
