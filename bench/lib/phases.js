/**
 * `keel db reset`, phase by phase: the same steps as src/commands/reset.ts (one transaction, the fixture has no
 * `-- keel:no-transaction` file), built from dist's internals with a clock around each, and every round trip to the
 * database counted and timed. Kept in step with reset.ts by hand: if reset.ts changes, change this too.
 *
 * Also runnable as a script, to see the phases as a CLI run meets them (fresh process: cold JIT, cold WASM):
 *   node bench/lib/phases.js <project dir> [db url]     prints { phases, roundTrips } as JSON
 */
import { fileURLToPath } from 'node:url';
import { openProject } from '../../dist/index.js';
import { prepareDatabase, runSettings } from '../../dist/commands/context.js';
import { openEngine, resolveTarget } from '../../dist/db/open.js';
import { applyDeclarative, applyMigrations, applySeeds } from '../../dist/features/migrate/apply.js';
import { extensionsUsed, loadProjectSql } from '../../dist/features/migrate/load.js';
import { wipeDatabase } from '../../dist/features/migrate/reset.js';

/** A Queryable that times every call it forwards (calls are sequential, so the times add up). */
function countingQueryable(inner) {
  const stats = { calls: 0, ms: 0, slowest: [] };
  const timed = (kind, fn) => async (sql, params) => {
    const t0 = performance.now();
    try {
      return await fn(sql, params);
    } finally {
      const ms = performance.now() - t0;
      stats.calls++;
      stats.ms += ms;
      stats.slowest.push({ ms, sql: `${kind}: ${sql.replace(/\s+/g, ' ').trim().slice(0, 90)}` });
    }
  };
  return { q: { query: timed('query', (s, p) => inner.query(s, p)), exec: timed('exec', (s) => inner.exec(s)) }, stats };
}

/**
 * One reset of `dir` (on its embedded data dir, or on `dbUrl`) with a time per phase, in ms. Also returns the database
 * round trips made inside the transaction: count, total wait, and the slowest ones.
 */
export async function resetInPhases(dir, { dbUrl, env } = {}) {
  const phases = {};
  let mark = performance.now();
  const lap = (name) => {
    const now = performance.now();
    phases[name] = now - mark;
    mark = now;
  };
  const t0 = mark;
  const project = openProject(dir);
  const sql = await loadProjectSql(project);
  lap('load + parse files');
  const target = resolveTarget({ dbUrl, dataDir: project.dataDir, env });
  const engine = await openEngine(target, { command: 'keel db reset (profile)', extensions: extensionsUsed(sql) });
  lap('open engine');
  let stats;
  try {
    await engine.transaction(async (rawTx) => {
      lap('begin');
      const counted = countingQueryable(rawTx);
      stats = counted.stats;
      const tx = counted.q;
      const runTx = (fn) => fn(tx);
      await runTx((t) => wipeDatabase(t));
      lap('wipe (drop user schemas, clear history)');
      const { preamble } = await runTx((t) => prepareDatabase(t));
      lap('install shim');
      const s = runSettings(engine, tx, runTx, { preamble });
      await applyMigrations(s, sql.migrations);
      lap(`migrations (${sql.migrations.length} files)`);
      await applyDeclarative(s, 'role', sql.roles);
      lap(`roles (${sql.roles.length})`);
      await applyDeclarative(s, 'policy', sql.policies);
      lap(`policies (${sql.policies.length})`);
      await applySeeds(s, sql.seeds, { force: true });
      lap(`seeds (${sql.seeds.length})`);
    });
    lap('commit');
  } finally {
    await engine.close();
    lap('close engine');
  }
  phases.total = performance.now() - t0;
  stats.slowest = stats.slowest.sort((a, b) => b.ms - a.ms).slice(0, 8);
  return { phases, roundTrips: stats };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const startup = performance.now(); // since the process started: Node boot + evaluating the imports above
  const env = { ...process.env };
  delete env.DATABASE_URL;
  const r = await resetInPhases(process.argv[2], { dbUrl: process.argv[3], env });
  r.phases = { 'node start-up + imports': startup, ...r.phases };
  console.log(JSON.stringify(r));
}
