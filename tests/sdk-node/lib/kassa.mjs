// A real Kassa process for the SDK tests: a fresh data dir, port 0, the
// demo business's test key read from its first-start output.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import DodoPayments from 'dodopayments';
import { ResponseChecker } from './openapi.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../../..');
const bin = process.env.KASSA_BIN ?? path.join(repoRoot, 'target/debug/kassa');

export class Kassa {
  static async start() {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'kassa-sdk-node-'));
    const env = { ...process.env, KASSA_DATA_DIR: dataDir, RUST_LOG: 'warn' };
    const child = spawn(bin, ['serve', '--bind', '127.0.0.1:0'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    const out = await new Promise((resolve, reject) => {
      let text = '';
      const timer = setTimeout(() => reject(new Error(`kassa did not start: ${text}`)), 30_000);
      child.on('exit', (code) => reject(new Error(`kassa exited with ${code}: ${text}`)));
      child.stdout.on('data', (chunk) => {
        text += chunk;
        if (/Kassa listening on (\S+)/.test(text)) {
          clearTimeout(timer);
          resolve(text);
        }
      });
    });
    const key = out.match(/Test API key \(shown once\): (sk_test_\S+)/)[1];
    const url = out.match(/Kassa listening on (\S+)/)[1];
    let checker;
    try {
      checker = await ResponseChecker.forServer(url);
    } catch (e) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
      throw e;
    }
    return new Kassa(child, dataDir, env, url, key, checker);
  }

  constructor(child, dataDir, env, url, key, checker) {
    Object.assign(this, { child, dataDir, env, url, key, checker });
  }

  /**
   * An SDK client whose every response is checked against Kassa's own
   * /openapi.json and, where present, Dodo's OpenAPI document.
   */
  client(apiKey = this.key) {
    return new DodoPayments({
      bearerToken: apiKey,
      baseURL: this.url,
      maxRetries: 0,
      fetch: this.checker.fetch,
    });
  }

  /** A test key of a brand-new second business (via `kassa keys create`). */
  otherBusinessKey() {
    return execFileSync(bin, ['keys', 'create', '--new-business', 'Other Shop'], { env: this.env })
      .toString()
      .trim();
  }

  async stop() {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
