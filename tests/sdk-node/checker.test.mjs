// The schema checker itself must be able to fail, or the other suites prove nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ResponseChecker } from './lib/openapi.mjs';

test('a product body missing required fields is reported', () => {
  const checker = new ResponseChecker();
  checker.check('get', '/products/pdt_x', 200, JSON.stringify({ product_id: 5 }));
  assert.equal(checker.failures.length, 1);
  assert.match(checker.failures[0], /GET \/products\/pdt_x → 200/);
});

test('an error body without {code, message} is reported', () => {
  const checker = new ResponseChecker();
  checker.check('get', '/products', 401, JSON.stringify({ error: 'nope' }));
  assert.equal(checker.failures.length, 1);
});

test('an operation Dodo does not have is reported', () => {
  const checker = new ResponseChecker();
  checker.check('get', '/nonsense', 200, '{}');
  assert.equal(checker.failures.length, 1);
});

test('integer metadata values validate (oneOf read as anyOf)', () => {
  const checker = new ResponseChecker();
  checker.check('get', '/customers', 200, JSON.stringify({ items: [] }));
  assert.deepEqual(checker.failures, []);
});
