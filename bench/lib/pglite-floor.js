/**
 * What the same reset costs on PGlite with nothing of Keel around it: PGlite on the main thread (no worker), opened on
 * a copy of a data dir that already holds the fixture, then wipe + shim + every file in one transaction, then close.
 * It is the floor Keel's embedded reset could reach without changing PGlite.
 *
 * Also runnable as a script, so the floor can be measured in a fresh process (a CLI always starts with cold WASM):
 *   node bench/lib/pglite-floor.js <plan.json>     prints { open, sql, close, total } in ms as JSON
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pgcrypto } from '@electric-sql/pglite/contrib/pgcrypto';
import { uuid_ossp } from '@electric-sql/pglite/contrib/uuid_ossp';

const WIPE = `drop schema if exists public cascade;
truncate supabase_migrations.schema_migrations, supabase_migrations.keel_migrations, supabase_migrations.seed_files;
delete from auth.users;`;

/** A fresh copy of the data dir for one floor run (copying ~40 MB is slow on some disks: never timed). */
export function prepareScratch({ sourceDataDir, scratchDir }) {
  fs.rmSync(scratchDir, { recursive: true, force: true });
  fs.cpSync(sourceDataDir, scratchDir, { recursive: true });
}

/**
 * A plan: { sourceDataDir, scratchDir, shim, files: [{ text, statements: [sql] }], perStatement }, run on scratchDir
 * (see {@link prepareScratch}). `perStatement` sends Keel's split statements one by one (as Keel does) instead of one
 * exec per file. Returns ms per step.
 */
export async function pgliteFloor({ scratchDir, shim, files, perStatement }) {
  const t0 = performance.now();
  const db = await PGlite.create(scratchDir, { extensions: { uuid_ossp, pgcrypto } });
  const t1 = performance.now();
  await db.exec('begin');
  await db.exec(WIPE);
  await db.exec(shim);
  for (const f of files) {
    if (!perStatement) await db.exec(f.text);
    else for (const sql of f.statements) await db.exec(sql);
  }
  await db.exec('commit');
  const t2 = performance.now();
  await db.close();
  const t3 = performance.now();
  return { open: t1 - t0, sql: t2 - t1, close: t3 - t2, total: t3 - t0 };
}

/** The plan's `files` from a ProjectSql (loadProjectSql), in Keel's order. */
export function planFiles(sql) {
  return [...sql.migrations, ...sql.roles, ...sql.policies, ...sql.seeds].map((f) => ({
    text: f.file.text,
    statements: f.statements.map((s) => s.sql),
  }));
}

/** Median ms of `n` round trips of `select 1` on a Queryable (Keel's engine: through the worker). */
export async function roundTripMs(q, n = 300) {
  const times = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await q.query('select 1');
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[Math.floor(n / 2)];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const plan = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  console.log(JSON.stringify(await pgliteFloor(plan)));
}
