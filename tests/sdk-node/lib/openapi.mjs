// Checks every response the SDK receives against the OpenAPI documents:
//
// - Kassa's own, always: the running server's GET /openapi.json (OpenAPI 3.1,
//   JSON Schema 2020-12). The operation is found by path template + method,
//   the response by exact status, else its "4XX"/"5XX" range, else "default".
// - Dodo's, where it is present: $KASSA_DODO_OPENAPI if set (a path that does
//   not exist means "absent"; there is no fallback then), else
//   ../shared/reference/dodo-openapi.json beside the repo. Under CI=true an
//   absent Dodo document is an error, not a skip.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');

/** Where Dodo's document is looked for: `{ path, present, reason }` (reason only when absent). */
export function dodoSpecLocation() {
  const fromEnv = process.env.KASSA_DODO_OPENAPI;
  const where = fromEnv
    ? path.resolve(fromEnv)
    : path.resolve(repoRoot, '../shared/reference/dodo-openapi.json');
  if (existsSync(where)) return { path: where, present: true };
  return {
    path: where,
    present: false,
    reason: `no dodo-openapi.json at ${where}: set KASSA_DODO_OPENAPI or put ../shared beside the repo`,
  };
}

/** Dodo's document, ready to check against, or null where it is absent (an error under CI=true). */
export function loadDodoSpec() {
  const where = dodoSpecLocation();
  if (!where.present) {
    if (process.env.CI === 'true') throw new Error(`CI=true and ${where.reason}`);
    return null;
  }
  const spec = JSON.parse(readFileSync(where.path, 'utf8'));
  // Metadata values are `oneOf [string, integer, number, boolean]`: any
  // integer is also a number, so under JSON Schema an integer value matches
  // two branches and fails `oneOf`. Dodo's own servers send integers there;
  // the intent is plainly "any of", so check it as `anyOf`.
  const value = spec.components.schemas.Metadata.additionalProperties;
  value.anyOf = value.oneOf;
  delete value.oneOf;
  return spec;
}

/** Kassa's own document, as the server at `baseURL` serves it. */
export async function fetchKassaSpec(baseURL) {
  const res = await fetch(new URL('/openapi.json', baseURL));
  if (res.status !== 200) throw new Error(`GET ${baseURL}/openapi.json answered ${res.status}`);
  return res.json();
}

function newAjv() {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  addFormats(ajv);
  // OpenAPI's numeric formats: ranges, not string formats.
  for (const f of ['int32', 'int64', 'double', 'float']) ajv.addFormat(f, { type: 'number', validate: () => true });
  return ajv;
}

const escape = (p) => p.replaceAll('~', '~0').replaceAll('/', '~1');

/** One OpenAPI document: its routes (literal segments first) and compiled response validators. */
class Document {
  constructor(id, label, spec) {
    Object.assign(this, { id, label, spec });
    this.ajv = newAjv();
    this.ajv.addSchema(spec, id);
    // Literal segments first, so `/products/short_links` beats `/products/{id}`.
    this.routes = Object.keys(spec.paths ?? {})
      .map((template) => ({
        template,
        regex: new RegExp('^' + template.replace(/\{[^}]+\}/g, '[^/]+') + '$'),
        literals: template.split('/').filter((s) => s && !s.startsWith('{')).length,
      }))
      .sort((a, b) => b.literals - a.literals);
    this.validators = new Map();
  }

  /** `{ template, operation }` for a request, or null. */
  operation(method, pathname) {
    const route = this.routes.find((r) => r.regex.test(pathname));
    const operation = route && this.spec.paths[route.template][method];
    return operation ? { template: route.template, operation } : null;
  }

  /** A validator for `responses[key]`'s application/json schema (a JSON pointer into the document). */
  validator(template, method, key) {
    const pointer = `${this.id}#/paths/${escape(template)}/${method}/responses/${escape(key)}/content/application~1json/schema`;
    let validate = this.validators.get(pointer);
    if (!validate) {
      validate = this.ajv.compile({ $ref: pointer });
      this.validators.set(pointer, validate);
    }
    return validate;
  }
}

// Statuses that carry no body (RFC 9110): there is nothing to validate.
const BODYLESS = new Set([204, 205, 304]);

/** The key of `responses` that documents `status`: exact, else "4XX"-style range, else "default". */
export function responseKey(responses, status) {
  const exact = String(status);
  if (exact in responses) return exact;
  const range = `${exact[0]}XX`;
  const found = Object.keys(responses).find((k) => k.toUpperCase() === range);
  if (found) return found;
  return 'default' in responses ? 'default' : null;
}

export class ResponseChecker {
  /**
   * `kassa`: Kassa's OpenAPI document (checked always in the suites; see
   * `forServer`). `dodo`: Dodo's document or null (absent: not checked).
   */
  constructor({ kassa = null, dodo = null } = {}) {
    this.kassa = kassa ? new Document('kassa', "Kassa's openapi.json", kassa) : null;
    this.dodo = dodo ? new Document('dodo', 'dodo-openapi.json', dodo) : null;
    this.checked = 0; // responses checked against Kassa's document
    this.validated = 0; // ... of which a body was validated against a schema there
    this.dodoChecked = 0; // responses checked against Dodo's document
    this.failures = [];
    this.fetch = this.fetch.bind(this);
  }

  /** A checker over the server's own /openapi.json and, where present, Dodo's document. */
  static async forServer(baseURL) {
    return new ResponseChecker({ kassa: await fetchKassaSpec(baseURL), dodo: loadDodoSpec() });
  }

  async fetch(url, init) {
    const response = await fetch(url, init);
    const text = await response.clone().text();
    this.check((init?.method ?? 'GET').toLowerCase(), new URL(url).pathname, response.status, text);
    return response;
  }

  check(method, pathname, status, text) {
    const where = `${method.toUpperCase()} ${pathname} → ${status}`;
    if (this.kassa) this.checkKassa(method, pathname, status, text, where);
    if (this.dodo) this.checkDodo(method, pathname, status, text, where);
  }

  checkKassa(method, pathname, status, text, where) {
    const doc = this.kassa;
    const found = doc.operation(method, pathname);
    if (!found) {
      this.failures.push(`${where}: no such operation in ${doc.label}`);
      return;
    }
    this.checked++;
    const responses = found.operation.responses ?? {};
    const key = responseKey(responses, status);
    if (key === null) {
      this.failures.push(`${where}: status not documented in ${doc.label}`);
      return;
    }
    if (BODYLESS.has(status)) {
      // HTTP gives these no body, whatever schema the key found carries.
      if (text !== '') this.failures.push(`${where}: a ${status} has no body, got: ${text.slice(0, 200)}`);
      return;
    }
    if (!responses[key]?.content?.['application/json']?.schema) return;
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      this.failures.push(`${where}: body is not JSON, ${doc.label} documents application/json: ${text.slice(0, 200)}`);
      return;
    }
    const validate = doc.validator(found.template, method, key);
    this.validated++;
    if (!validate(body)) {
      this.failures.push(`${where}: ${doc.label} (${key}): ${doc.ajv.errorsText(validate.errors)}\n  body: ${text.slice(0, 600)}`);
    }
  }

  checkDodo(method, pathname, status, text, where) {
    const doc = this.dodo;
    const found = doc.operation(method, pathname);
    if (!found) {
      this.failures.push(`${where}: no such operation in ${doc.label}`);
      return;
    }
    const responses = found.operation.responses ?? {};
    if (status >= 400) {
      // Dodo documents no error body schema; the SDKs read `{code, message}`.
      let body;
      try {
        body = JSON.parse(text);
      } catch {
        body = {};
      }
      if (typeof body?.code !== 'string' || typeof body?.message !== 'string') {
        this.failures.push(`${where}: error body is not {code, message}: ${text}`);
      }
      this.dodoChecked++;
      return;
    }
    const schema = responses[String(status)]?.content?.['application/json']?.schema;
    if (!schema) {
      if (!(String(status) in responses)) this.failures.push(`${where}: status not documented in ${doc.label}`);
      return;
    }
    const validate = doc.validator(found.template, method, String(status));
    this.dodoChecked++;
    if (!validate(JSON.parse(text))) {
      this.failures.push(`${where}: ${doc.label}: ${doc.ajv.errorsText(validate.errors)}\n  body: ${text.slice(0, 600)}`);
    }
  }

  /** Fails the test with every schema violation seen since the last call. */
  assertClean(assert) {
    const failures = this.failures.splice(0);
    const docs = [this.kassa, this.dodo].filter(Boolean).map((d) => d.label).join(' and ');
    assert.deepEqual(failures, [], `every response validates against ${docs}`);
  }
}
