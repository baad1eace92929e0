// The hosted checkout page in a real browser: a customer really pays.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { Kassa, launch, shot, merchant, oneTime, fillDetails, fillCard, digits } from './lib.mjs';

let kassa;
let client;
let browser;
let shop;
let ebook;
let course;

before(async () => {
  kassa = await Kassa.start();
  client = kassa.client();
  browser = await launch();
  shop = await merchant();
  ebook = (await client.products.create({ name: 'E-book', tax_category: 'e_book', price: oneTime(1500) })).product_id;
  course = (await client.products.create({ name: 'Course', tax_category: 'edtech', price: oneTime(4900) })).product_id;
});
after(async () => {
  await browser?.close();
  await shop?.close();
  await kassa?.stop();
});
// Every response the SDK got in a test validates against the documents.
afterEach(() => kassa.checker.assertClean(assert));

/** This session's payments, as the API shows each (`GET /payments/{id}`). */
async function paymentsOf(sessionId) {
  const listed = await client.payments.list({ page_number: 0, page_size: 100 });
  const all = await Promise.all(listed.items.map((p) => client.payments.retrieve(p.payment_id)));
  return all.filter((p) => p.checkout_session_id === sessionId);
}

async function open(request) {
  const session = await client.checkoutSessions.create(request);
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(session.checkout_url);
  return { session, page, context };
}

test('a one-time purchase with 4242 succeeds and lands on return_url with the result', async () => {
  const { session, page, context } = await open({
    product_cart: [{ product_id: ebook, quantity: 1 }],
    return_url: `${shop.url}/thanks?order=17`,
  });
  await shot(page, '01-checkout');
  await fillDetails(page, { email: 'ada@example.com' });
  await fillCard(page, '4242 4242 4242 4242');
  await page.getByTestId('pay-button').click();
  await page.getByTestId('success').waitFor();
  await shot(page, '02-success');
  await page.locator('a[href^="http://127.0.0.1"]').filter({ hasText: /./ }).last().click();
  await page.waitForURL(`${shop.url}/thanks**`);
  const landed = new URL(page.url());
  assert.equal(landed.searchParams.get('order'), '17', 'the merchant\'s own query is kept');
  assert.equal(landed.searchParams.get('status'), 'succeeded');
  assert.equal(landed.searchParams.get('email'), 'ada@example.com');
  const paymentId = landed.searchParams.get('payment_id');
  assert.match(paymentId, /^pay_/);

  const payment = await client.payments.retrieve(paymentId);
  assert.equal(payment.status, 'succeeded');
  assert.equal(payment.card_last_four, '4242');
  assert.equal(payment.checkout_session_id, session.session_id);
  const status = await client.checkoutSessions.retrieve(session.session_id);
  assert.equal(status.payment_id, paymentId);
  await context.close();
});

test('redirect_immediately skips the success page', async () => {
  const { page, context } = await open({
    product_cart: [{ product_id: ebook, quantity: 1 }],
    return_url: `${shop.url}/done`,
    feature_flags: { redirect_immediately: true },
  });
  await fillDetails(page);
  await fillCard(page, '4242424242424242');
  await page.getByTestId('pay-button').click();
  await page.waitForURL(`${shop.url}/done**`);
  assert.equal(new URL(page.url()).searchParams.get('status'), 'succeeded');
  await context.close();
});

test('a declined card shows the decline and a retry with another card succeeds', async () => {
  const { session, page, context } = await open({ product_cart: [{ product_id: ebook, quantity: 1 }] });
  await fillDetails(page);
  await fillCard(page, '4000 0000 0000 0002');
  await page.getByTestId('pay-button').click();
  await page.getByTestId('notice').waitFor();
  assert.match(await page.getByTestId('notice').innerText(), /declined/i);
  await shot(page, '03-declined');
  assert.equal(await page.locator('input[name=card_number]').inputValue(), '', 'the card number is never sent back');
  await fillCard(page, '4242424242424242');
  await page.getByTestId('pay-button').click();
  await page.getByTestId('success').waitFor();
  const mine = await paymentsOf(session.session_id);
  const declined = mine.filter((p) => p.status === 'failed');
  assert.equal(declined.length, 1, 'the declined attempt is recorded, once, on this session');
  assert.equal(declined[0].card_last_four, '0002');
  const status = await client.checkoutSessions.retrieve(session.session_id);
  assert.equal(status.payment_status, 'succeeded');
  const paid = mine.find((p) => p.payment_id === status.payment_id);
  assert.equal(paid?.status, 'succeeded');
  assert.equal(paid.card_last_four, '4242');
  await context.close();
});

test('a 3-D Secure card goes through the challenge', async () => {
  const { page, context } = await open({ product_cart: [{ product_id: course, quantity: 1 }] });
  await fillDetails(page);
  await fillCard(page, '4000002500003155');
  await page.getByTestId('pay-button').click();
  await page.getByTestId('challenge-complete').waitFor();
  await shot(page, '04-challenge');
  await page.getByTestId('challenge-complete').click();
  await page.getByTestId('success').waitFor();
  await context.close();
});

test('a failed 3-D Secure challenge can be retried', async () => {
  const { session, page, context } = await open({ product_cart: [{ product_id: course, quantity: 1 }] });
  await fillDetails(page);
  await fillCard(page, '4000002500003155');
  await page.getByTestId('pay-button').click();
  await page.getByTestId('challenge-fail').click();
  await page.getByTestId('notice').waitFor();
  assert.match(await page.getByTestId('notice').innerText(), /authentication/i);
  // The retry: the same card again, and this time the challenge is passed.
  await fillDetails(page);
  await fillCard(page, '4000002500003155');
  await page.getByTestId('pay-button').click();
  await page.getByTestId('challenge-complete').click();
  await page.getByTestId('success').waitFor();
  const status = await client.checkoutSessions.retrieve(session.session_id);
  assert.equal(status.payment_status, 'succeeded');
  const mine = await paymentsOf(session.session_id);
  assert.deepEqual(
    mine.map((p) => p.status).sort(),
    ['failed', 'succeeded'],
    'the failed challenge and the paid retry, both on this session',
  );
  assert.equal(mine.find((p) => p.status === 'succeeded').payment_id, status.payment_id);
  await context.close();
});

test('a two-product cart with two stacked codes shows the preview\'s totals', async () => {
  await client.discounts.create({ type: 'percentage', amount: 1000, code: 'TEN' });
  await client.discounts.create({
    type: 'flat', amount: 300, code: 'THREE',
    currency_options: [{ currency: 'USD', is_default: true, max_amount_possible: 300, minimum_subtotal: 0 }],
  });
  const request = {
    product_cart: [{ product_id: ebook, quantity: 2 }, { product_id: course, quantity: 1 }],
    discount_codes: ['TEN', 'THREE'],
    billing_address: { country: 'DE' },
  };
  const preview = await client.checkoutSessions.preview(request);
  const { page, context } = await open(request);
  await shot(page, '05-stacked-codes');
  assert.equal(digits(await page.getByTestId('total').innerText()), String(preview.total_price));
  assert.equal(digits(await page.getByTestId('subtotal').innerText()), String(preview.current_breakup.subtotal));
  assert.equal(digits(await page.getByTestId('discount').innerText()), String(preview.current_breakup.discount));
  assert.equal(digits(await page.getByTestId('tax').innerText()), String(preview.current_breakup.tax));
  await context.close();
});

test('a code typed on the page is applied to the total', async () => {
  await client.discounts.create({ type: 'percentage', amount: 5000, code: 'HALF' });
  const { page, context } = await open({ product_cart: [{ product_id: course, quantity: 1 }] });
  const before = digits(await page.getByTestId('total').innerText());
  await page.getByTestId('discount-input').fill('half');
  await page.getByTestId('apply-discount').click();
  await page.waitForLoadState();
  const after = digits(await page.getByTestId('total').innerText());
  assert.equal(Number(after) * 2, Number(before));
  await context.close();
});

test('a required custom field blocks payment until it is answered', async () => {
  const { page, context } = await open({
    product_cart: [{ product_id: ebook, quantity: 1 }],
    custom_fields: [{ field_type: 'text', key: 'company_size', label: 'Company size', required: true }],
  });
  await fillDetails(page);
  await fillCard(page, '4242424242424242');
  // The browser itself refuses to submit the empty required field…
  await page.getByTestId('pay-button').click();
  assert.match(page.url(), /\/session\/cks_[^/]+$/);
  assert.equal(await page.getByTestId('success').count(), 0);
  // …and so does the server, when a client skips the browser's check.
  await page.locator('[name=custom_company_size]').evaluate((el) => el.removeAttribute('required'));
  await page.getByTestId('pay-button').click();
  await page.getByTestId('error').first().waitFor();
  assert.match(await page.getByTestId('error').first().innerText(), /Company size/);
  await shot(page, '06-required-field');
  await page.locator('[name=custom_company_size]').fill('11-50');
  await fillCard(page, '4242424242424242');
  await page.getByTestId('pay-button').click();
  await page.getByTestId('success').waitFor();
  await context.close();
});

test('an expired session shows the expired page and cannot be paid', async () => {
  const session = await client.checkoutSessions.create({ product_cart: [{ product_id: ebook, quantity: 1 }] });
  const expired = await fetch(`${kassa.url}/kassa/checkouts/${session.session_id}/expire`, {
    method: 'POST', headers: { authorization: `Bearer ${kassa.key}` },
  });
  assert.equal(expired.status, 200);
  const context = await browser.newContext();
  const page = await context.newPage();
  const response = await page.goto(session.checkout_url);
  assert.equal(response.status(), 410);
  await page.getByTestId('expired').waitFor();
  await shot(page, '07-expired');
  await context.close();
});

test('force_language de renders the page in German', async () => {
  const { page, context } = await open({
    product_cart: [{ product_id: ebook, quantity: 1 }],
    customization: { force_language: 'de', theme: 'dark' },
  });
  assert.equal(await page.locator('html').getAttribute('lang'), 'de');
  assert.match(await page.getByTestId('pay-button').innerText(), /Jetzt bezahlen/);
  await shot(page, '08-german-dark');
  await context.close();
});

test('Accept-Language picks the page language when nothing is forced', async () => {
  const session = await client.checkoutSessions.create({ product_cart: [{ product_id: ebook, quantity: 1 }] });
  const context = await browser.newContext({ locale: 'ja-JP', extraHTTPHeaders: { 'accept-language': 'ja,en;q=0.5' } });
  const page = await context.newPage();
  await page.goto(session.checkout_url);
  assert.equal(await page.locator('html').getAttribute('lang'), 'ja');
  await context.close();
});

test('a back link appears only with cancel_url', async () => {
  const withBack = await open({ product_cart: [{ product_id: ebook, quantity: 1 }], cancel_url: `${shop.url}/cart` });
  assert.equal(await withBack.page.getByTestId('back-link').getAttribute('href'), `${shop.url}/cart`);
  await withBack.context.close();
  const without = await open({ product_cart: [{ product_id: ebook, quantity: 1 }] });
  assert.equal(await without.page.getByTestId('back-link').count(), 0);
  await without.context.close();
});
