/**
 * The measured scenarios. Each is { name, run: async () => seconds }; setup and teardown around the timed part (copying
 * a project, CREATE/DROP DATABASE) are never timed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { reset } from '../../dist/index.js';
import { runProcess, timeIt } from './measure.js';
import { REPO } from './fixture.js';
import { runPerFileScript, runSinglePsql } from './postgres.js';

const KEEL_BIN = path.join(REPO, 'bin/keel.js');

/** The caller's environment without DATABASE_URL (an embedded run must never reach a server by accident). */
export function keelEnv(extra = {}) {
  const env = { ...process.env, NO_COLOR: '1', ...extra };
  delete env.DATABASE_URL;
  return env;
}

/** `node bin/keel.js db reset --cwd <dir> [more args]`, timed from spawn to exit. */
function cli(dir, more = []) {
  return runProcess(process.execPath, [KEEL_BIN, 'db', 'reset', '--cwd', dir, ...more], { env: keelEnv() }).then((r) => r.seconds);
}

/** reset() called in this process; also keeps the durationMs it reports (which stops before the engine is closed). */
function inProcess(opts, reported) {
  return async () => {
    const { seconds, value } = await timeIt(() => reset({ yes: true, env: keelEnv(), ...opts }));
    reported.push(value.durationMs / 1000);
    return seconds;
  };
}

/**
 * Embedded PGlite. `warmDir` keeps its data dir between runs (the usual `keel db reset` of a project already in use);
 * `freshDir` has supabase/.keel deleted before every run (the first reset after a clone; loads the cached template).
 */
export function embeddedScenarios({ warmDir, freshDir }) {
  const reported = [];
  const scenarios = [
    { name: 'embedded: CLI keel db reset (wall, incl. Node start-up)', run: () => cli(warmDir) },
    { name: 'embedded: reset() in-process (wall, excl. Node start-up)', run: inProcess({ cwd: warmDir }, reported) },
    {
      name: 'embedded: CLI keel db reset, fresh data dir (first reset)',
      run: () => {
        fs.rmSync(path.join(freshDir, 'supabase', '.keel'), { recursive: true, force: true });
        return cli(freshDir);
      },
    },
  ];
  return { scenarios, reported };
}

/** Runs `fn(db)` on a brand-new database and drops it afterwards; only `fn` is timed. */
function onFreshDb(admin, prefix, fn) {
  return async () => {
    const db = await admin.fresh(prefix);
    try {
      return await fn(db);
    } finally {
      await admin.drop(db);
    }
  };
}

/**
 * Real Postgres: every scenario on a new database of the same server. The psql peers apply Keel's shim SQL first
 * (timed), then the same files in Keel's order. `psql` is undefined when no psql was found (the peers are skipped).
 */
export function postgresScenarios({ admin, dir, psql, shimFile, files, perFileScript, repeatDb }) {
  const reported = [];
  const withShim = [shimFile, ...files];
  const scenarios = [
    {
      name: 'postgres: reset() in-process, fresh DB',
      run: onFreshDb(admin, 'keel_lib', (db) => inProcess({ cwd: dir, dbUrl: db.url }, reported)()),
    },
    {
      name: 'postgres: CLI keel db reset --db-url, fresh DB',
      run: onFreshDb(admin, 'keel_cli', (db) => cli(dir, ['--db-url', db.url, '--yes'])),
    },
    {
      name: 'postgres: reset() in-process, same DB again',
      run: async () => (await timeIt(() => reset({ cwd: dir, dbUrl: repeatDb.url, yes: true, env: keelEnv() }))).seconds,
    },
  ];
  if (psql) {
    scenarios.push(
      {
        name: `psql: per file (${withShim.length} processes: shim + ${files.length} files)`,
        run: onFreshDb(admin, 'psql_each', async (db) => (await runPerFileScript(perFileScript, db.url)).seconds),
      },
      {
        name: `psql: 1 process --single-transaction (shim + ${files.length} files)`,
        run: onFreshDb(admin, 'psql_one', async (db) => (await runSinglePsql(psql, db.url, withShim)).seconds),
      },
      {
        name: "psql: shim.sql alone (the shim's share of the peers)",
        run: onFreshDb(admin, 'psql_shim', async (db) => (await runSinglePsql(psql, db.url, [shimFile])).seconds),
      },
    );
  }
  return { scenarios, reported };
}
