/**
 * `npm run test:reliability` — every check in test/reliability/checks/*.ts, on PGlite and on a real PostgreSQL server
 * obtained as the test suite obtains it (test/support/global-setup.ts: `KEEL_TEST_DATABASE_URL`, else a throwaway
 * local server). Prints one table, writes bench/results/reliability.json, exits 1 on any failure.
 *
 *   tsx test/reliability/run.ts [--bounded] [--seed N] [--only name[,name]] [--no-postgres] [--out file]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import setupPostgres from '../support/global-setup.js';
import type { CheckContext } from './check.js';
import { formatTable, loadChecks, machine, runChecks, type Report } from './runner.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const { values: opt } = parseArgs({
  options: {
    bounded: { type: 'boolean', default: false },
    seed: { type: 'string' },
    only: { type: 'string', multiple: true },
    'no-postgres': { type: 'boolean', default: false },
    out: { type: 'string', default: path.join(REPO, 'bench/results/reliability.json') },
  },
});

const seed = opt.seed !== undefined ? Number(opt.seed) : Math.floor(Math.random() * 2 ** 31);
if (!Number.isInteger(seed) || seed < 0) {
  console.error(`--seed must be a whole number, not ${opt.seed}`);
  process.exit(2);
}
const only = (opt.only ?? []).flatMap((s) => s.split(',')).filter(Boolean);

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-reliability-'));
// The PGlite template cache stays where the user's is (building it costs seconds); everything else goes to tmpRoot.
let stopPostgres: (() => Promise<void>) | undefined;
const cleanup = () => fs.rmSync(tmpRoot, { recursive: true, force: true });
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    void (stopPostgres?.() ?? Promise.resolve()).finally(() => (cleanup(), process.exit(130)));
  });
}

const started = Date.now();
const log = (msg: string) => console.error(`[reliability ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${msg}`);

let pgAdminUrl: string | null = null;
if (!opt['no-postgres']) {
  // the test suite's own global setup, given a stand-in for vitest's project (it only calls provide)
  const project = { provide: (_key: string, value: unknown) => (pgAdminUrl = value as string | null) } as unknown as TestProject;
  stopPostgres = await setupPostgres(project);
}
delete process.env.DATABASE_URL; // a command under test must only see the URL a case gives it
process.env.NO_COLOR = '1';

const ctx: CheckContext = {
  engines: pgAdminUrl ? ['pglite', 'postgres'] : ['pglite'],
  pgAdminUrl,
  bounded: opt.bounded,
  seed,
  tmpRoot,
  log,
};
log(`seed ${seed}${opt.bounded ? ', bounded' : ''}; engines ${ctx.engines.join(', ')}${only.length ? `; only ${only.join(', ')}` : ''}`);

let exitCode = 1;
try {
  const checks = await loadChecks(only);
  if (checks.length === 0) throw new Error(`no check matches ${only.join(', ') || '(none found)'} in test/reliability/checks`);
  const results = await runChecks(checks, ctx);
  const report: Report = {
    date: new Date().toISOString(),
    machine: machine(),
    seed,
    bounded: opt.bounded,
    only,
    durationMs: Date.now() - started,
    results,
  };
  fs.mkdirSync(path.dirname(opt.out), { recursive: true });
  fs.writeFileSync(opt.out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(formatTable(results));
  const failures = results.reduce((n, r) => n + r.failures.length, 0);
  console.log(
    `\n${failures === 0 ? 'no failures' : `${failures} failure(s)`}; seed ${seed}; ${((Date.now() - started) / 1000).toFixed(0)} s; wrote ${path.relative(process.cwd(), opt.out)}`,
  );
  exitCode = failures === 0 ? 0 : 1;
} catch (err) {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
} finally {
  await stopPostgres?.().catch(() => undefined);
  cleanup();
}
process.exit(exitCode);
