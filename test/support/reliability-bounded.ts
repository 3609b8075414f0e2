/**
 * The bounded subset of `npm run test:reliability`, one check per test file (test/integration/reliability-*.test.ts)
 * so the checks run side by side on vitest's workers: each check in test/reliability/checks/ with `bounded: true`
 * (smaller trial counts; hostile-input runs a fixed sample, every 64th case of each class, one identifier), a fixed
 * seed, on both engines when a server is available. The check must report zero failures.
 *
 * @example
 * boundedCheck('crash'); // the whole body of test/integration/reliability-crash.test.ts
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CheckContext } from '../reliability/check.js';
import { formatTable, loadChecks, runChecks } from '../reliability/runner.js';
import { engineNames, pgAdminUrl } from './postgres.js';

export function boundedCheck(name: string): void {
  const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), `keel-reliability-${name}-`));
  afterAll(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));
  describe('reliability (bounded)', () => {
    it(`${name}: no failures`, async () => {
      const checks = await loadChecks([name]);
      expect(checks.map((c) => c.name)).toEqual([name]);
      const saved = process.env.DATABASE_URL;
      delete process.env.DATABASE_URL;
      try {
        const ctx: CheckContext = {
          engines: engineNames,
          pgAdminUrl: pgAdminUrl(),
          bounded: true,
          seed: 12,
          tmpRoot,
          log: () => undefined,
        };
        const results = await runChecks(checks, ctx);
        const failures = results.flatMap((r) => r.failures);
        expect(failures, formatTable(results)).toEqual([]);
        expect(results.reduce((n, r) => n + r.trials, 0)).toBeGreaterThan(0);
      } finally {
        if (saved !== undefined) process.env.DATABASE_URL = saved;
      }
    }, 240_000);
  });
}
