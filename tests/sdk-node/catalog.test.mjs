// Products, addons, customers, discounts, brands and supported countries
// through the official dodopayments npm SDK, every response schema-checked.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { Kassa } from './lib/kassa.mjs';

let kassa;
let client;
before(async () => {
  kassa = await Kassa.start();
  client = kassa.client();
});
after(async () => {
  await kassa?.stop();
  assert.ok(kassa.checker.checked >= 20, `only ${kassa.checker.checked} responses were schema-checked`);
});
afterEach(() => kassa.checker.assertClean(assert));

const oneTime = (price, currency = 'USD') => ({
  type: 'one_time_price', price, currency, discount: 0, purchasing_power_parity: false,
});

test('a one-time product is created, retrieved, updated, archived and unarchived', async () => {
  const created = await client.products.create({
    name: 'E-book', description: 'A book', tax_category: 'e_book', price: oneTime(1500),
    metadata: { sku: 'EB-1', copies: 3 },
  });
  assert.match(created.product_id, /^pdt_[0-9A-Za-z]{21}$/);
  assert.equal(created.price.price, 1500);
  assert.equal(created.is_recurring, false);
  assert.deepEqual(created.metadata, { sku: 'EB-1', copies: 3 });

  const fetched = await client.products.retrieve(created.product_id);
  assert.deepEqual(fetched, created);

  await client.products.update(created.product_id, { name: 'E-book 2nd ed.', price: oneTime(1999, 'EUR') });
  const updated = await client.products.retrieve(created.product_id);
  assert.equal(updated.name, 'E-book 2nd ed.');
  assert.equal(updated.price.price, 1999);
  assert.equal(updated.price.currency, 'EUR');
  assert.equal(updated.description, 'A book', 'fields not sent are kept');

  await client.products.archive(created.product_id);
  const archived = await client.products.list({ archived: true, page_number: 0 });
  assert.ok(archived.items.some((p) => p.product_id === created.product_id));
  const active = await client.products.list({ page_number: 0, page_size: 100 });
  assert.ok(!active.items.some((p) => p.product_id === created.product_id));

  await client.products.unarchive(created.product_id);
  assert.equal((await client.products.retrieve(created.product_id)).is_recurring, false);
  const back = await client.products.list({ page_number: 0, page_size: 100 });
  assert.ok(back.items.some((p) => p.product_id === created.product_id));
});

test('recurring and usage-based products carry their billing periods', async () => {
  const sub = await client.products.create({
    name: 'Pro plan', tax_category: 'saas',
    price: {
      type: 'recurring_price', price: 900, currency: 'USD', discount: 0, purchasing_power_parity: false,
      payment_frequency_count: 1, payment_frequency_interval: 'Month',
      subscription_period_count: 12, subscription_period_interval: 'Month', trial_period_days: 14,
    },
  });
  assert.equal(sub.is_recurring, true);
  assert.equal(sub.price.payment_frequency_interval, 'Month');
  assert.equal(sub.price.trial_period_days, 14);

  const usage = await client.products.create({
    name: 'API calls', tax_category: 'saas',
    price: {
      type: 'usage_based_price', fixed_price: 0, currency: 'USD', discount: 0, purchasing_power_parity: false,
      payment_frequency_count: 1, payment_frequency_interval: 'Month',
      subscription_period_count: 1, subscription_period_interval: 'Year',
    },
  });
  assert.equal(usage.price.type, 'usage_based_price');

  const recurring = await client.products.list({ recurring: true, page_number: 0, page_size: 100 });
  const ids = recurring.items.map((p) => p.product_id);
  assert.ok(ids.includes(sub.product_id) && ids.includes(usage.product_id));
  assert.ok(recurring.items.every((p) => p.is_recurring));
});

test('auto-pagination walks every page from page 0 exactly once', async () => {
  const brand = (await client.brands.create({ name: 'Paging brand' })).brand_id;
  const made = [];
  for (let i = 0; i < 25; i++) {
    made.push((await client.products.create({
      name: `Paged ${i}`, tax_category: 'digital_products', price: oneTime(100 + i), brand_id: brand,
    })).product_id);
  }
  const seen = [];
  // An explicit page_number: 0 makes the SDK ask for 1, 2, … next (it
  // computes `(page_number ?? 1) + 1`, skipping page 1 when it is absent).
  for await (const p of client.products.list({ brand_id: brand, page_size: 10, page_number: 0 })) {
    seen.push(p.product_id);
  }
  assert.equal(seen.length, 25);
  assert.deepEqual([...seen].sort(), [...made].sort(), 'each product exactly once');
  assert.deepEqual(seen, [...made].reverse(), 'newest first');
});

test('addons are created, retrieved, updated and listed', async () => {
  const addon = await client.addons.create({ name: 'Gift wrap', price: 300, currency: 'USD', tax_category: 'digital_products' });
  assert.match(addon.id, /^adn_/);
  assert.deepEqual(await client.addons.retrieve(addon.id), addon);
  const updated = await client.addons.update(addon.id, { price: 450, description: 'Nice paper' });
  assert.equal(updated.price, 450);
  assert.equal(updated.description, 'Nice paper');
  const listed = [];
  for await (const a of client.addons.list({ page_number: 0 })) listed.push(a.id);
  assert.ok(listed.includes(addon.id));
});

test('customers are created, retrieved, updated and found by email', async () => {
  const customer = await client.customers.create({ email: 'Ada@Example.com', name: 'Ada', phone_number: '+14155550100' });
  assert.match(customer.customer_id, /^cus_/);
  assert.deepEqual(await client.customers.retrieve(customer.customer_id), customer);
  const updated = await client.customers.update(customer.customer_id, { name: 'Ada Lovelace' });
  assert.equal(updated.name, 'Ada Lovelace');
  const found = await client.customers.list({ email: 'ada@example.com', page_number: 0 });
  assert.deepEqual(found.items.map((c) => c.customer_id), [customer.customer_id]);
});

test('discounts are created, retrieved, updated, listed and deleted', async () => {
  const pct = await client.discounts.create({ type: 'percentage', amount: 1500, code: 'spring15', usage_limit: 10 });
  assert.equal(pct.code, 'SPRING15');
  assert.equal(pct.amount, 1500);
  assert.deepEqual(await client.discounts.retrieve(pct.discount_id), pct);
  assert.deepEqual(await client.discounts.retrieveByCode('SPRING15'), pct);

  const updated = await client.discounts.update(pct.discount_id, { amount: 2000, name: 'Spring' });
  assert.equal(updated.amount, 2000);
  assert.equal(updated.name, 'Spring');

  const listed = [];
  for await (const d of client.discounts.list({ page_number: 0 })) listed.push(d.discount_id);
  assert.ok(listed.includes(pct.discount_id));

  await client.discounts.delete(pct.discount_id);
  await assert.rejects(client.discounts.retrieve(pct.discount_id), (e) => e.status === 404);
});

test('brands are listed and supported countries are ISO codes', async () => {
  const brands = await client.brands.list();
  assert.ok(brands.items.length >= 1);
  const brand = await client.brands.retrieve(brands.items[0].brand_id);
  assert.equal(brand.brand_id, brands.items[0].brand_id);
  const countries = await client.misc.listSupportedCountries();
  assert.ok(countries.includes('US') && countries.includes('DE') && countries.includes('IN'));
});
