// The schema checker itself must be able to fail, or the other suites prove nothing.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ResponseChecker, dodoSpecLocation, loadDodoSpec } from './lib/openapi.mjs';
import { Kassa } from './lib/kassa.mjs';

// --- Against Kassa's own document (always): a small one in memory, shaped like
// the served /openapi.json (3.1, components/schemas with $ref, ranges, default).
const KASSA_STYLE = {
  openapi: '3.1.0',
  info: { title: 'Kassa (checker self-test)', version: '0' },
  paths: {
    '/products/{id}': {
      get: {
        responses: {
          200: { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Product' } } } },
          404: { description: 'not found', content: { 'application/json': { schema: { $ref: '#/components/schemas/NotFound' } } } },
          '4XX': { description: 'client error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
        },
      },
    },
    '/products/short_links': {
      get: {
        responses: {
          200: { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Page' } } } },
        },
      },
    },
    '/products': {
      get: {
        responses: {
          200: { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Page' } } } },
          default: { description: 'error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
        },
      },
    },
    '/metrics': { get: { responses: { 200: { description: 'text', content: { 'text/plain': {} } } } } },
  },
  components: {
    schemas: {
      Product: {
        type: 'object',
        required: ['product_id', 'price'],
        properties: { product_id: { type: 'string' }, price: { type: 'integer' }, metadata: { $ref: '#/components/schemas/Metadata' } },
      },
      Metadata: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } },
      Page: { type: 'object', required: ['items'], properties: { items: { type: 'array' } } },
      Error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' } } },
      NotFound: { allOf: [{ $ref: '#/components/schemas/Error' }, { properties: { code: { const: 'NOT_FOUND' } } }] },
    },
  },
};
const kassaChecker = () => new ResponseChecker({ kassa: structuredClone(KASSA_STYLE) });

test("Kassa's document: a body missing required fields (behind $ref) is reported", () => {
  const checker = kassaChecker();
  checker.check('get', '/products/pdt_x', 200, JSON.stringify({ product_id: 5 }));
  assert.equal(checker.failures.length, 1);
  assert.match(checker.failures[0], /GET \/products\/pdt_x → 200: Kassa's openapi\.json \(200\)/);
  assert.equal(checker.checked, 1);
  assert.equal(checker.validated, 1);
});

test("Kassa's document: a body that matches validates clean, nested $ref included", () => {
  const checker = kassaChecker();
  checker.check('get', '/products/pdt_x', 200, JSON.stringify({ product_id: 'pdt_x', price: 5, metadata: { n: 3 } }));
  assert.deepEqual(checker.failures, []);
  checker.check('get', '/products/pdt_x', 200, JSON.stringify({ product_id: 'pdt_x', price: 5, metadata: { n: [3] } }));
  assert.equal(checker.failures.length, 1);
});

test("Kassa's document: the exact status wins over the range, the range over default", () => {
  const checker = kassaChecker();
  // 404 is documented exactly: NOT_FOUND only.
  checker.check('get', '/products/pdt_x', 404, JSON.stringify({ code: 'NOT_FOUND', message: 'no' }));
  assert.deepEqual(checker.failures, []);
  checker.check('get', '/products/pdt_x', 404, JSON.stringify({ code: 'OTHER', message: 'no' }));
  assert.equal(checker.failures.length, 1);
  assert.match(checker.failures[0], /\(404\)/);
  // 422 falls to "4XX".
  checker.failures.length = 0;
  checker.check('get', '/products/pdt_x', 422, JSON.stringify({ code: 'OTHER', message: 'no' }));
  assert.deepEqual(checker.failures, []);
  checker.check('get', '/products/pdt_x', 422, JSON.stringify({ error: 'nope' }));
  assert.equal(checker.failures.length, 1);
  assert.match(checker.failures[0], /\(4XX\)/);
  // 401 on /products falls to "default".
  checker.failures.length = 0;
  checker.check('get', '/products', 401, JSON.stringify({ error: 'nope' }));
  assert.equal(checker.failures.length, 1);
  assert.match(checker.failures[0], /\(default\)/);
});

test("Kassa's document: a status it does not document is reported", () => {
  const checker = kassaChecker();
  checker.check('get', '/products/pdt_x', 500, JSON.stringify({ code: 'X', message: 'y' }));
  assert.equal(checker.failures.length, 1);
  assert.match(checker.failures[0], /status not documented in Kassa's openapi\.json/);
});

test("Kassa's document: an operation it does not have is reported", () => {
  const checker = kassaChecker();
  checker.check('get', '/nonsense', 200, '{}');
  checker.check('delete', '/products', 200, '{}');
  assert.equal(checker.failures.length, 2);
  assert.match(checker.failures[0], /no such operation in Kassa's openapi\.json/);
  assert.equal(checker.checked, 0);
});

test("Kassa's document: a 204 is not parsed (it has no body) but must be empty", () => {
  const checker = kassaChecker();
  checker.check('get', '/products', 204, '');
  assert.deepEqual(checker.failures, []);
  checker.check('get', '/products', 204, '{}');
  assert.equal(checker.failures.length, 1);
  assert.match(checker.failures[0], /a 204 has no body/);
});

test("Kassa's document: literal segments win (/products/short_links is not /products/{id})", () => {
  const checker = kassaChecker();
  checker.check('get', '/products/short_links', 200, JSON.stringify({ items: [] }));
  assert.deepEqual(checker.failures, []);
});

test("Kassa's document: a non-JSON body where JSON is documented is reported; other media are not parsed", () => {
  const checker = kassaChecker();
  checker.check('get', '/products/pdt_x', 200, 'not json');
  assert.equal(checker.failures.length, 1);
  checker.failures.length = 0;
  checker.check('get', '/metrics', 200, '# HELP x\n');
  assert.deepEqual(checker.failures, []);
  assert.equal(checker.checked, 2);
});

test("the suites' checker holds the server's own /openapi.json, and an error body outside it fails", async () => {
  const kassa = await Kassa.start();
  try {
    assert.ok(kassa.checker.kassa, "the checker has Kassa's document");
    assert.match(kassa.checker.kassa.spec.openapi, /^3\.1\./);
    kassa.checker.check('get', '/products', 401, JSON.stringify({ error: 'nope' }));
    assert.ok(kassa.checker.failures.some((f) => /Kassa's openapi\.json/.test(f)), kassa.checker.failures.join('\n'));
  } finally {
    await kassa.stop();
  }
});

// --- Against Dodo's document, where it is present (under CI=true it must be).
const dodo = dodoSpecLocation();
const skip = dodo.present || process.env.CI === 'true' ? false : `skipped: Dodo-schema self-tests (${dodo.reason})`;
const dodoChecker = () => new ResponseChecker({ dodo: loadDodoSpec() });

// One suite, so an absent document is one skipped line.
describe("Dodo's document", { skip }, () => {
  test('a product body missing required fields is reported', () => {
    const checker = dodoChecker();
    checker.check('get', '/products/pdt_x', 200, JSON.stringify({ product_id: 5 }));
    assert.equal(checker.failures.length, 1);
    assert.match(checker.failures[0], /GET \/products\/pdt_x → 200/);
  });

  test('an error body without {code, message} is reported', () => {
    const checker = dodoChecker();
    checker.check('get', '/products', 401, JSON.stringify({ error: 'nope' }));
    assert.equal(checker.failures.length, 1);
  });

  test('an operation Dodo does not have is reported', () => {
    const checker = dodoChecker();
    checker.check('get', '/nonsense', 200, '{}');
    assert.equal(checker.failures.length, 1);
    assert.match(checker.failures[0], /no such operation in dodo-openapi\.json/);
  });

  test('integer metadata values validate (oneOf read as anyOf)', () => {
    // A customer list whose metadata holds an integer (and each other kind).
    const customer = (metadata) => ({
      customer_id: 'cus_000000000000000000000', business_id: 'bus_000000000000000000000',
      name: 'Ada', email: 'ada@example.com', created_at: '2026-01-01T00:00:00.000000Z', metadata,
    });
    const body = JSON.stringify({ items: [customer({ seats: 3, plan: 'pro', ratio: 0.5, beta: true })] });
    const checker = dodoChecker();
    checker.check('get', '/customers', 200, body);
    assert.deepEqual(checker.failures, []);
    assert.equal(checker.dodoChecked, 1, 'the body was validated against a schema');
    // Read literally, `oneOf` refuses the integer (it is also a number)...
    const literal = new ResponseChecker({ dodo: JSON.parse(readFileSync(dodo.path, 'utf8')) });
    literal.check('get', '/customers', 200, body);
    assert.equal(literal.failures.length, 1, 'the unrelaxed document refuses an integer value');
    assert.match(literal.failures[0], /oneOf/);
    literal.failures.length = 0;
    literal.check('get', '/customers', 200, JSON.stringify({ items: [customer({ plan: 'pro', beta: true })] }));
    assert.deepEqual(literal.failures, [], 'but not the other kinds');
    // ...and read as `anyOf` the metadata is still checked: a list value is no metadata value.
    checker.check('get', '/customers', 200, JSON.stringify({ items: [customer({ seats: [3] })] }));
    assert.equal(checker.failures.length, 1);
    assert.match(checker.failures[0], /metadata/);
  });

  test('both documents: a failure against either is reported, each by name', () => {
    const checker = new ResponseChecker({ kassa: structuredClone(KASSA_STYLE), dodo: loadDodoSpec() });
    checker.check('get', '/products/pdt_x', 200, JSON.stringify({ product_id: 5 }));
    assert.equal(checker.failures.length, 2);
    assert.match(checker.failures[0], /Kassa's openapi\.json/);
    assert.match(checker.failures[1], /dodo-openapi\.json/);
    assert.equal(checker.checked, 1);
    assert.equal(checker.dodoChecked, 1);
  });
});
