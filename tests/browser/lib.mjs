// Browser test support: Debian's Chromium through playwright-core, a Kassa
// (started like the SDK suites start it), a merchant return page, and
// screenshots saved under test-artifacts/.
import { createServer } from 'node:http';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { Kassa, repoRoot } from '../sdk-node/lib/kassa.mjs';

export { Kassa };

const artifacts = path.join(repoRoot, 'test-artifacts', 'browser');

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

export async function shot(page, name) {
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
}

/** A merchant's "thank you" page that records every visit. */
export async function merchant() {
  const visits = [];
  const server = createServer((req, res) => {
    visits.push(new URL(req.url, 'http://merchant'));
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>Thanks</title><h1>Thanks for your order</h1>');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}`, visits, close: () => new Promise((r) => server.close(r)) };
}

export const oneTime = (price, currency = 'USD') => ({
  type: 'one_time_price', price, currency, discount: 0, purchasing_power_parity: false,
});

/** Fills the customer part of the form (whatever the page shows). */
export async function fillDetails(page, { email = 'buyer@example.com', name = 'Ada Buyer', country = 'US', zipcode = '94103' } = {}) {
  const fill = async (selector, value) => {
    const el = page.locator(selector);
    if (await el.count() && await el.first().isEditable()) await el.first().fill(value);
  };
  await fill('input[name=email]', email);
  await fill('input[name=name]', name);
  const countrySelect = page.locator('select[name=country]');
  if (await countrySelect.count() && await countrySelect.isEnabled()) await countrySelect.selectOption(country);
  await fill('input[name=street]', '1 Market St');
  await fill('input[name=city]', 'San Francisco');
  await fill('input[name=state]', 'CA');
  await fill('input[name=zipcode]', zipcode);
}

export async function fillCard(page, number, { expiry = '12/34', cvc = '123' } = {}) {
  await page.locator('input[name=card_number]').fill(number);
  await page.locator('input[name=card_expiry]').fill(expiry);
  await page.locator('input[name=card_cvc]').fill(cvc);
}

export const digits = (text) => text.replace(/[^0-9]/g, '');
