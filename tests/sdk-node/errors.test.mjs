// Bad input through the official npm SDK: the SDK's own error classes, the
// `{code, message}` body, and nothing written.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import DodoPayments from 'dodopayments';
import { Kassa } from './lib/kassa.mjs';

let kassa;
let client;
before(async () => {
  kassa = await Kassa.start();
  client = kassa.client();
});
after(async () => {
  await kassa?.stop();
  assert.ok(kassa.checker.checked >= 10, `only ${kassa.checker.checked} responses were schema-checked`);
});
afterEach(() => kassa.checker.assertClean(assert));

const oneTime = (price, currency = 'USD') => ({
  type: 'one_time_price', price, currency, discount: 0, purchasing_power_parity: false,
});
const productCount = async () => (await client.products.list({ page_number: 0, page_size: 100 })).items.length;

test('a wrong API key is an AuthenticationError with {code, message}', async () => {
  const stranger = kassa.client('sk_test_' + 'x'.repeat(32));
  await assert.rejects(stranger.products.list(), (e) => {
    assert.ok(e instanceof DodoPayments.AuthenticationError);
    assert.equal(e.status, 401);
    assert.equal(typeof e.error.code, 'string');
    assert.equal(typeof e.error.message, 'string');
    return true;
  });
});

test('an unknown id is a NotFoundError', async () => {
  await assert.rejects(client.products.retrieve('pdt_000000000000000000000'), DodoPayments.NotFoundError);
  await assert.rejects(client.customers.retrieve('cus_000000000000000000000'), DodoPayments.NotFoundError);
});

test('invalid products are refused naming the field and not written', async () => {
  const before = await productCount();
  const cases = [
    [oneTime(-1), 'price.price', 'INVALID_REQUEST_BODY'],
    [oneTime(100, 'XYZ'), 'price.currency', 'UNSUPPORTED_CURRENCY'],
  ];
  for (const [price, field, code] of cases) {
    await assert.rejects(client.products.create({ name: 'Bad', tax_category: 'saas', price }), (e) => {
      assert.ok(e instanceof DodoPayments.UnprocessableEntityError, `${e.constructor.name} ${e.status}`);
      assert.equal(e.status, 422);
      assert.equal(e.error.code, code);
      assert.match(e.error.message, new RegExp(`^${field.replace('.', '\\.')}: `));
      return true;
    });
  }
  assert.equal(await productCount(), before);
});

test('a discount over 10000 basis points is refused', async () => {
  await assert.rejects(client.discounts.create({ type: 'percentage', amount: 10001, code: 'TOOBIG' }), (e) => {
    assert.equal(e.status, 422);
    assert.match(e.error.message, /amount/);
    return true;
  });
  await assert.rejects(client.discounts.retrieveByCode('TOOBIG'), DodoPayments.NotFoundError);
});

test('51 metadata keys are refused', async () => {
  const metadata = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
  await assert.rejects(client.customers.create({ email: 'm@example.com', name: 'M', metadata }), (e) => {
    assert.equal(e.status, 422);
    assert.match(e.error.message, /metadata/);
    return true;
  });
  const found = await client.customers.list({ email: 'm@example.com', page_number: 0 });
  assert.equal(found.items.length, 0);
});

test("another business's key gets 404 for this business's objects", async () => {
  const product = await client.products.create({ name: 'Mine', tax_category: 'saas', price: oneTime(500) });
  const other = kassa.client(kassa.otherBusinessKey());
  await assert.rejects(other.products.retrieve(product.product_id), DodoPayments.NotFoundError);
  await assert.rejects(other.products.update(product.product_id, { name: 'Stolen' }), DodoPayments.NotFoundError);
  const theirs = await other.products.list({ page_number: 0 });
  assert.equal(theirs.items.length, 0);
  assert.equal((await client.products.retrieve(product.product_id)).name, 'Mine');
});
