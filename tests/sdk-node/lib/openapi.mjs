// Checks every response the SDK receives against the response schema of the
// matching operation in Dodo's own OpenAPI document, read from ../shared.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const here = path.dirname(fileURLToPath(import.meta.url));
const specPath = path.resolve(here, '../../../../shared/reference/dodo-openapi.json');

function loadSpec() {
  const spec = JSON.parse(readFileSync(specPath, 'utf8'));
  // Metadata values are `oneOf [string, integer, number, boolean]`: any
  // integer is also a number, so under JSON Schema an integer value matches
  // two branches and fails `oneOf`. Dodo's own servers send integers there;
  // the intent is plainly "any of", so check it as `anyOf`.
  const value = spec.components.schemas.Metadata.additionalProperties;
  value.anyOf = value.oneOf;
  delete value.oneOf;
  return spec;
}

function ajv() {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  addFormats(ajv);
  // OpenAPI's numeric formats: ranges, not string formats.
  for (const f of ['int32', 'int64', 'double', 'float']) ajv.addFormat(f, { type: 'number', validate: () => true });
  return ajv;
}

const escape = (p) => p.replaceAll('~', '~0').replaceAll('/', '~1');

export class ResponseChecker {
  constructor() {
    this.spec = loadSpec();
    this.ajv = ajv();
    this.ajv.addSchema(this.spec, 'dodo');
    // Literal segments first, so `/products/short_links` beats `/products/{id}`.
    this.routes = Object.keys(this.spec.paths)
      .map((template) => ({
        template,
        regex: new RegExp('^' + template.replace(/\{[^}]+\}/g, '[^/]+') + '$'),
        literals: template.split('/').filter((s) => s && !s.startsWith('{')).length,
      }))
      .sort((a, b) => b.literals - a.literals);
    this.validators = new Map();
    this.checked = 0;
    this.failures = [];
    this.fetch = this.fetch.bind(this);
  }

  async fetch(url, init) {
    const response = await fetch(url, init);
    const text = await response.clone().text();
    this.check((init?.method ?? 'GET').toLowerCase(), new URL(url).pathname, response.status, text);
    return response;
  }

  check(method, pathname, status, text) {
    const route = this.routes.find((r) => r.regex.test(pathname));
    const where = `${method.toUpperCase()} ${pathname} → ${status}`;
    if (!route || !this.spec.paths[route.template][method]) {
      this.failures.push(`${where}: no such operation in dodo-openapi.json`);
      return;
    }
    const responses = this.spec.paths[route.template][method].responses ?? {};
    const schema = responses[String(status)]?.content?.['application/json']?.schema;
    if (status >= 400) {
      // Dodo documents no error body schema; the SDKs read `{code, message}`.
      const body = JSON.parse(text);
      if (typeof body.code !== 'string' || typeof body.message !== 'string') {
        this.failures.push(`${where}: error body is not {code, message}: ${text}`);
      }
      this.checked++;
      return;
    }
    if (!schema) {
      if (!(String(status) in responses)) this.failures.push(`${where}: status not documented`);
      return;
    }
    const pointer = `dodo#/paths/${escape(route.template)}/${method}/responses/${status}/content/application~1json/schema`;
    let validate = this.validators.get(pointer);
    if (!validate) {
      validate = this.ajv.compile({ $ref: pointer });
      this.validators.set(pointer, validate);
    }
    this.checked++;
    if (!validate(JSON.parse(text))) {
      this.failures.push(`${where}: ${this.ajv.errorsText(validate.errors)}\n  body: ${text.slice(0, 600)}`);
    }
  }

  /** Fails the test with every schema violation seen since the last call. */
  assertClean(assert) {
    const failures = this.failures.splice(0);
    assert.deepEqual(failures, [], 'every response validates against dodo-openapi.json');
  }
}
