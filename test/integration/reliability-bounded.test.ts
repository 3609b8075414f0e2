/**
 * The bounded subset of `npm run test:reliability`: every check in test/reliability/checks/ with `bounded: true`
 * (smaller trial counts; hostile-input runs a fixed sample, every 64th case of each class, one identifier), a fixed seed, on both
 * engines when a server is available. Each check must report zero failures.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CheckContext } from '../reliability/check.js';
import { formatTable, loadChecks, runChecks } from '../reliability/runner.js';
import { engineNames, pgAdminUrl } from '../support/postgres.js';

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-reliability-bounded-'));
afterAll(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

const checks = await loadChecks();

describe('reliability (bounded)', () => {
  it.each(checks.map((c) => [c.name, c] as const))(
    '%s: no failures',
    async (_name, check) => {
      const saved = process.env.DATABASE_URL;
      delete process.env.DATABASE_URL;
      try {
        const ctx: CheckContext = {
          engines: engineNames,
          pgAdminUrl: pgAdminUrl(),
          bounded: true,
          seed: 12,
          tmpRoot: fs.mkdtempSync(path.join(tmpRoot, `${check.name}-`)),
          log: () => undefined,
        };
        const results = await runChecks([check], ctx);
        const failures = results.flatMap((r) => r.failures);
        expect(failures, formatTable(results)).toEqual([]);
        expect(results.reduce((n, r) => n + r.trials, 0)).toBeGreaterThan(0);
      } finally {
        if (saved !== undefined) process.env.DATABASE_URL = saved;
      }
    },
    240_000,
  );
});
