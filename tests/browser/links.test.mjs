// Links in a real browser: a static payment link and a short link open a
// fresh session that the customer pays; a payment link completes the
// merchant's payment id.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { Kassa, launch, shot, merchant, oneTime, fillDetails, fillCard } from './lib.mjs';

let kassa;
let client;
let browser;
let shop;
let poster;

before(async () => {
  kassa = await Kassa.start();
  client = kassa.client();
  browser = await launch();
  shop = await merchant();
  poster = (await client.products.create({ name: 'Poster', tax_category: 'digital_products', price: oneTime(900) })).product_id;
});
after(async () => {
  await browser?.close();
  await shop?.close();
  await kassa?.stop();
});
// Every response the SDK got in a test validates against the documents.
afterEach(() => kassa.checker.assertClean(assert));

test('a static link with prefilled email and quantity is paid and lands on redirect_url', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const redirect = encodeURIComponent(`${shop.url}/static-done`);
  await page.goto(`${kassa.url}/buy/${poster}?quantity=2&email=sid%40example.com&redirect_url=${redirect}`);
  await page.waitForURL(`${kassa.url}/session/cks_**`);
  await shot(page, '20-static-link');
  assert.equal(await page.getByLabel(/email/i).first().inputValue(), 'sid@example.com');
  await fillDetails(page, { email: 'sid@example.com' });
  await fillCard(page, '4242 4242 4242 4242');
  await page.getByTestId('pay-button').click();
  await page.getByTestId('success').waitFor();
  await page.locator(`a[href^="${shop.url}"]`).click();
  await page.waitForURL(`${shop.url}/static-done**`);
  const payment = await client.payments.retrieve(new URL(page.url()).searchParams.get('payment_id'));
  assert.equal(payment.status, 'succeeded');
  assert.equal(payment.product_cart[0].quantity, 2);
  await context.close();
});

test('a short payment link completes the payment the merchant opened', async () => {
  const opened = await client.payments.create({
    billing: { country: 'US', state: 'CA', zipcode: '94103' },
    customer: { email: 'lin@example.com', name: 'Lin' },
    product_cart: [{ product_id: poster, quantity: 1 }],
    payment_link: true,
    short_link: true,
    return_url: `${shop.url}/linked`,
    redirect_immediately: true,
  });
  assert.match(opened.payment_link, new RegExp(`^${kassa.url}/l/[0-9A-Za-z]{8}$`));
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(opened.payment_link);
  await page.waitForURL(`${kassa.url}/session/cks_**`);
  await shot(page, '21-payment-link');
  await fillDetails(page, { email: 'lin@example.com', name: 'Lin' });
  await fillCard(page, '4242 4242 4242 4242');
  await page.getByTestId('pay-button').click();
  await page.waitForURL(`${shop.url}/linked**`);
  assert.equal(new URL(page.url()).searchParams.get('payment_id'), opened.payment_id);
  const payment = await client.payments.retrieve(opened.payment_id);
  assert.equal(payment.status, 'succeeded');
  await context.close();
});
