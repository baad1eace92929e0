// A merchant integration on the official dodopayments npm SDK, pointed at
// Kassa by its base URL only:
//
//   1. a webhook endpoint (node:http) that verifies every delivery with the
//      SDK's own verifier (client.webhooks.unwrap) and answers 400 to one
//      that does not verify;
//   2. that endpoint registered with POST /webhooks, its signing secret read;
//   3. a product and a checkout session for it; the customer pays at
//      session.checkout_url.
//
// Run: DODO_PAYMENTS_BASE_URL=http://127.0.0.1:8080 DODO_PAYMENTS_API_KEY=sk_test_… node merchant.mjs
import http from 'node:http';
import { pathToFileURL } from 'node:url';
import DodoPayments from 'dodopayments';

/**
 * The webhook endpoint's request handler. `verifier` is a DodoPayments client
 * made with the endpoint's secret as `webhookKey`; `onEvent` gets each event
 * that verified.
 */
export function webhookHandler(verifier, onEvent) {
  return (req, res) => {
    if (req.method !== 'POST') return res.writeHead(405).end();
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      // Verify the raw body exactly as it came: re-serialised JSON would not match the signature.
      const body = Buffer.concat(chunks).toString('utf8');
      let event;
      try {
        // Throws unless webhook-id/-timestamp/-signature match the body. Always pass
        // the headers: without them unwrap only parses.
        event = verifier.webhooks.unwrap(body, { headers: req.headers });
      } catch (e) {
        console.log(`webhook rejected: ${e.message}`);
        return res.writeHead(400, { 'content-type': 'text/plain' }).end('invalid signature\n');
      }
      console.log(`webhook verified: ${event.type} (${req.headers['webhook-id']})`);
      onEvent(event);
      res.writeHead(200).end();
    });
  };
}

/**
 * The whole integration. Options default to the SDK's own environment
 * variables (DODO_PAYMENTS_BASE_URL, DODO_PAYMENTS_API_KEY); `port` is the
 * webhook endpoint's (0: any free one). Returns the session, the endpoint,
 * the verified events so far and `close()`.
 */
export async function run({ baseURL, apiKey, port = 0, host = '127.0.0.1', returnUrl = 'https://example.com/thanks' } = {}) {
  const options = { ...(baseURL && { baseURL }), ...(apiKey && { bearerToken: apiKey }) };
  const client = new DodoPayments(options);

  // 1. The webhook endpoint, listening before it is registered.
  const events = [];
  const server = http.createServer();
  await new Promise((resolve) => server.listen(port, host, resolve));
  const webhookUrl = `http://${host}:${server.address().port}/webhooks/dodo`;

  // 2. Registered with the API; its secret signs every delivery to it.
  const endpoint = await client.webhooks.create({ url: webhookUrl, description: 'example merchant' });
  const { secret } = await client.webhooks.retrieveSecret(endpoint.id);
  const verifier = new DodoPayments({ ...options, webhookKey: secret });
  server.on('request', webhookHandler(verifier, (event) => events.push(event)));

  // 3. Something to sell, and a checkout session for it.
  const product = await client.products.create({
    name: 'E-book',
    tax_category: 'e_book',
    price: { type: 'one_time_price', price: 1500, currency: 'USD', discount: 0, purchasing_power_parity: false },
  });
  const session = await client.checkoutSessions.create({
    product_cart: [{ product_id: product.product_id, quantity: 1 }],
    return_url: returnUrl,
  });

  const close = async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  return { client, endpoint, webhookUrl, product, session, events, close };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { client, endpoint, webhookUrl, session, close } = await run({ port: Number(process.env.PORT ?? 4000) });
  console.log(`webhook endpoint ${endpoint.id} at ${webhookUrl}`);
  console.log(`checkout: ${session.checkout_url}`);
  console.log('pay there (card 4242 4242 4242 4242); deliveries are logged here. Ctrl-C to stop.');
  process.once('SIGINT', async () => {
    await client.webhooks.delete(endpoint.id); // endpoints are limited per business (5 by default)
    await close();
  });
}
