#!/usr/bin/env node
/**
 * Real public Supabase projects (test/fixtures/real-projects/<name>/supabase, unchanged) through Keel on both engines:
 * reset twice, `keel test db` (and pg_prove file by file on the same Postgres database), gen types, lint, validate,
 * backup → restore into a fresh database compared object by object. Prints one table of what passes and the first error
 * of each step (file:line and message); `--json` prints the same as JSON.
 *
 *   npx tsc -p tsconfig.json && node bench/real-projects.js [--only basejump,dbdev] [--engine pglite|postgres] [--json]
 *
 * The fixtures are third-party files and are not committed (see test/fixtures/real-projects/README.md); a fixture
 * folder without supabase/migrations is reported as absent.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  backup,
  diffCatalogs,
  genTypes,
  lint,
  openEngine,
  readCatalog,
  reset,
  restore,
  startLocalServer,
  testDb,
  validate,
} from '../dist/index.js';
import { userSchemas } from '../dist/features/migrate/reset.js';
import { REPO } from './lib/fixture.js';
import { adminClient, psqlEnv } from './lib/postgres.js';
import { keelEnv } from './lib/scenarios.js';

const { values: opt } = parseArgs({
  options: { only: { type: 'string' }, engine: { type: 'string' }, json: { type: 'boolean', default: false } },
});
const FIXTURES = path.join(REPO, 'test/fixtures/real-projects');
const PG_PROVE = ['/usr/bin/pg_prove'].find((p) => fs.existsSync(p));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-bench-real-'));
process.env.KEEL_CACHE_DIR ??= path.join(tmp, 'cache');
const env = keelEnv();

/** One line for an error: `file:line message` where Keel located it. */
function firstError(err) {
  const msg = String(err?.message ?? err).split('\n')[0];
  const loc = err?.location && !msg.includes(`:${err.location.line}:`) ? `${err.location.file}:${err.location.line}: ` : '';
  return `${loc}${msg}`.slice(0, 240);
}

function fixtureNames() {
  const all = fs
    .readdirSync(FIXTURES)
    .filter((n) => fs.existsSync(path.join(FIXTURES, n, 'supabase', 'migrations')))
    .sort();
  return opt.only ? all.filter((n) => opt.only.split(',').includes(n)) : all;
}

function copyFixture(name) {
  const root = fs.mkdtempSync(path.join(tmp, `${name}-`));
  fs.cpSync(path.join(FIXTURES, name, 'supabase'), path.join(root, 'supabase'), { recursive: true });
  return root;
}

/** pg_prove on one file: its own psql session, autocommit, as `supabase test db` runs it. Counts from its TAP. */
function pgProveFile(url, file, cwd) {
  return new Promise((resolve) => {
    execFile(PG_PROVE, ['--verbose', '-d', url, file], { env: psqlEnv(), cwd, timeout: 120_000 }, (err, stdout) => {
      const ok = (stdout.match(/^\s*ok \d+/gm) ?? []).length;
      const notOk = (stdout.match(/^\s*not ok \d+/gm) ?? []).length;
      resolve({ passed: ok, failed: notOk, exit: err ? (err.code ?? 1) : 0 });
    });
  });
}

async function catalogOf(target) {
  const engine = await openEngine(target);
  try {
    return await readCatalog(engine, { schemas: await userSchemas(engine) });
  } finally {
    await engine.close();
  }
}

async function step(row, name, fn) {
  const t0 = performance.now();
  try {
    const detail = await fn();
    row.steps[name] = { ok: true, ms: Math.round(performance.now() - t0), ...(detail && { detail }) };
  } catch (err) {
    row.steps[name] = { ok: false, ms: Math.round(performance.now() - t0), error: firstError(err) };
  }
  return row.steps[name].ok;
}

async function runFixture(name, engineName, admin) {
  const root = copyFixture(name);
  const row = { fixture: name, engine: engineName, steps: {} };
  const dbs = [];
  const fresh = async (prefix) => {
    if (engineName === 'pglite')
      return { opts: {}, target: (dir) => ({ kind: 'pglite', dataDir: path.join(dir, 'supabase/.keel/pglite') }) };
    const db = await admin.fresh(prefix);
    dbs.push(db);
    return { opts: { dbUrl: db.url }, url: db.url, target: () => ({ kind: 'postgres', url: db.url }) };
  };
  try {
    const main = await fresh('rp');
    const o = { cwd: root, env, yes: true, ...main.opts };
    if (
      !(await step(row, 'reset', () =>
        reset(o).then((r) => `${r.migrations.length} files${r.warnings.length ? `, ${r.warnings.length} warnings` : ''}`),
      ))
    )
      return row;
    await step(row, 'reset2', () => reset(o).then(() => undefined));
    if (fs.existsSync(path.join(root, 'supabase/tests'))) {
      await step(row, 'testdb', async () => {
        const r = await testDb({ ...o, noReset: true });
        const t = r.totals;
        let summary = `${t.passed}/${t.tests ?? t.passed + t.failed} passed in ${r.files.length} files`;
        if (main.url && PG_PROVE) {
          const diffs = [];
          for (const f of r.files) {
            const p = await pgProveFile(main.url, path.join(root, f.file), root);
            if (p.passed !== f.passed || p.failed !== f.failed)
              diffs.push(`${path.basename(f.file)} keel ${f.passed}/${f.failed} pg_prove ${p.passed}/${p.failed}`);
          }
          summary += diffs.length ? `; pg_prove differs: ${diffs.join('; ')}` : '; = pg_prove';
          if (diffs.length) throw new Error(summary);
        }
        if (!r.ok) throw new Error(`${summary}; first failing: ${r.files.find((f) => !f.ok)?.file}`);
        return summary;
      });
    }
    await step(row, 'types', () => genTypes({ ...o, output: path.join(root, 'types-out') }).then((r) => `${r.files.length} files`));
    await step(row, 'lint', () =>
      lint(o).then((r) => `${r.findings.filter((f) => f.level === 'error').length} errors, ${r.findings.length} findings`),
    );
    await step(row, 'validate', () => validate(o).then((r) => `${r.checks.length} checks, schemas ${r.schemas.join(',')}`));
    await step(row, 'backup', async () => {
      const b = await backup({ ...o, output: path.join(root, 'backup-out'), history: false });
      const dstRoot = fs.mkdtempSync(path.join(tmp, `${name}-restore-`));
      fs.mkdirSync(path.join(dstRoot, 'supabase/migrations'), { recursive: true });
      const dst = await fresh('rpr');
      await restore(b.path, { cwd: dstRoot, env, yes: true, clean: true, ...dst.opts });
      const diff = diffCatalogs(await catalogOf(main.target(root)), await catalogOf(dst.target(dstRoot)));
      if (diff.length) throw new Error(`${diff.length} catalog differences, first: ${JSON.stringify(diff[0]).slice(0, 160)}`);
      return `${b.rows} rows, catalog equal`;
    });
  } finally {
    for (const db of dbs) await admin.drop(db).catch(() => undefined);
  }
  return row;
}

const STEPS = ['reset', 'reset2', 'testdb', 'types', 'lint', 'validate', 'backup'];

async function main() {
  const engines = opt.engine ? [opt.engine] : ['pglite', 'postgres'];
  const server = engines.includes('postgres') ? await startLocalServer() : undefined;
  const admin = server ? await adminClient(server.url) : undefined;
  const rows = [];
  const started = performance.now();
  try {
    for (const name of fixtureNames()) {
      for (const engineName of engines) {
        const t0 = performance.now();
        const row = await runFixture(name, engineName, admin);
        row.ms = Math.round(performance.now() - t0);
        rows.push(row);
        if (!opt.json) console.error(`${name} on ${engineName}: ${Math.round(row.ms / 100) / 10} s`);
      }
    }
  } finally {
    await admin?.close();
    await server?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const builds = (e) => rows.filter((r) => r.engine === e && r.steps.reset?.ok).length;
  const total = (e) => rows.filter((r) => r.engine === e).length;
  const summary = Object.fromEntries(engines.map((e) => [e, `${builds(e)} of ${total(e)} build`]));
  if (opt.json) {
    console.log(JSON.stringify({ rows, summary, seconds: Math.round(performance.now() - started) / 1000 }, null, 2));
    return;
  }
  const cell = (s) => (!s ? '—' : s.ok ? 'ok' : 'FAIL');
  console.log(`| fixture | engine | ${STEPS.join(' | ')} | s |`);
  console.log(`|${'---|'.repeat(STEPS.length + 3)}`);
  for (const r of rows)
    console.log(`| ${r.fixture} | ${r.engine} | ${STEPS.map((s) => cell(r.steps[s])).join(' | ')} | ${(r.ms / 1000).toFixed(1)} |`);
  console.log('');
  for (const r of rows) {
    for (const s of STEPS) {
      const st = r.steps[s];
      if (st && !st.ok) console.log(`- ${r.fixture} / ${r.engine} / ${s} (${st.ms} ms): ${st.error}`);
      else if (st) console.log(`  ${r.fixture} / ${r.engine} / ${s} (${st.ms} ms)${st.detail ? `: ${st.detail}` : ''}`);
    }
  }
  console.log(
    `\nbuilds: ${Object.entries(summary)
      .map(([e, s]) => `${e} ${s}`)
      .join(', ')}; ${Math.round(performance.now() - started) / 1000} s`,
  );
}

await main();
