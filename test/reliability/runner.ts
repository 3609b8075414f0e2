/**
 * The reliability runner's core, shared by `npm run test:reliability` (test/reliability/run.ts) and the bounded subset
 * in `npm test` (test/integration/reliability-*.test.ts, one file per check): loads the check modules, runs them, prints one table.
 *
 * A check module is any file in test/reliability/checks/*.ts whose default export (or any named export) is a
 * {@link Check}, or a list of them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Check, CheckContext, CheckResult } from './check.js';

export const CHECKS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'checks');

function isCheck(v: unknown): v is Check {
  return typeof v === 'object' && v !== null && typeof (v as Check).name === 'string' && typeof (v as Check).run === 'function';
}

/** Every check in checks/*.ts (file name order), or only those whose name (or file name) is in `only`. */
export async function loadChecks(only: string[] = []): Promise<Check[]> {
  const files = fs
    .readdirSync(CHECKS_DIR)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .sort();
  const checks: Check[] = [];
  for (const file of files) {
    const mod = (await import(pathToFileURL(path.join(CHECKS_DIR, file)).href)) as Record<string, unknown>;
    const found = new Map<string, Check>();
    for (const value of Object.values(mod)) {
      for (const c of Array.isArray(value) ? value : [value]) if (isCheck(c)) found.set(c.name, c);
    }
    for (const c of found.values()) {
      if (only.length === 0 || only.includes(c.name) || only.includes(file.replace(/\.ts$/, ''))) checks.push(c);
    }
  }
  return checks;
}

/** Runs each check in turn; a check that throws is one failure of that check, not the end of the run. */
export async function runChecks(checks: Check[], ctx: CheckContext): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const check of checks) {
    const started = Date.now();
    ctx.log(`${check.name}: running${ctx.bounded ? ' (bounded)' : ''}`);
    try {
      const rs = await check.run(ctx);
      results.push(...rs);
      const failures = rs.reduce((n, r) => n + r.failures.length, 0);
      const trials = rs.reduce((n, r) => n + r.trials, 0);
      ctx.log(`${check.name}: ${trials} trials, ${failures} failure(s) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    } catch (err) {
      const why = err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err);
      results.push({
        check: check.name,
        engine: 'none',
        trials: 1,
        failures: [{ case: 'check crashed', seed: ctx.seed, why }],
        worstMs: Date.now() - started,
      });
      ctx.log(`${check.name}: crashed: ${why.split('\n')[0]}`);
    }
  }
  return results;
}

/** The one table: check, engine, trials, failures, worst time; then every failing case with its seed. */
export function formatTable(results: CheckResult[]): string {
  const rows = [
    ['check', 'engine', 'trials', 'failures', 'worst time'],
    ...results.map((r) => [r.check, r.engine, String(r.trials), String(r.failures.length), `${(r.worstMs / 1000).toFixed(2)} s`]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const line = (row: string[]) => row.map((c, i) => (i >= 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  const out = [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)];
  const failing = results.flatMap((r) => r.failures.map((f) => ({ r, f })));
  if (failing.length > 0) {
    out.push('', `${failing.length} failing case(s):`);
    for (const { r, f } of failing) {
      out.push(`- [${r.check}/${r.engine}] ${f.case}${f.seed !== undefined ? ` (seed ${f.seed})` : ''}`);
      out.push(
        ...f.why
          .trimEnd()
          .split('\n')
          .slice(0, 12)
          .map((l) => `    ${l.length > 300 ? `${l.slice(0, 300)}…` : l}`),
      );
    }
  }
  return out.join('\n');
}

/** The table as Markdown (for the README). */
export function markdownTable(results: CheckResult[]): string {
  const out = ['| check | engine | trials | failures | worst time |', '|---|---|---:|---:|---:|'];
  for (const r of results)
    out.push(`| ${r.check} | ${r.engine} | ${r.trials} | ${r.failures.length} | ${(r.worstMs / 1000).toFixed(2)} s |`);
  return out.join('\n');
}

export interface Report {
  date: string;
  machine: { cpus: number; cpuModel: string; os: string; node: string; memoryGb: number };
  seed: number;
  bounded: boolean;
  only: string[];
  durationMs: number;
  results: CheckResult[];
}

export function machine(): Report['machine'] {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    os: `${os.type()} ${os.release()} (${os.platform()}/${os.arch()})`,
    node: process.version,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
  };
}
