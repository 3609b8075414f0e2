/**
 * The Postgres side: throwaway databases on the benchmark server, and the psql peer (`psql -f` over the same files).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { runProcess } from './measure.js';

/** A superuser connection to the server's `postgres` database, for CREATE/DROP DATABASE (never timed). */
export async function adminClient(serverUrl) {
  const client = new pg.Client({ connectionString: serverUrl, application_name: 'keel-bench-admin' });
  await client.connect();
  let n = 0;
  return {
    client,
    /** Creates a new empty database and returns its URL. */
    async fresh(prefix) {
      const name = `bench_${prefix}_${process.pid}_${++n}`;
      await client.query(`create database "${name}"`);
      const url = new URL(serverUrl);
      url.pathname = `/${name}`;
      return { name, url: url.toString() };
    },
    async drop(db) {
      await client.query(`drop database if exists "${db.name}" with (force)`);
    },
    async close() {
      await client.end();
    },
  };
}

/** What a reset leaves behind, to check that Keel and psql built the same database. */
export async function fingerprint(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const {
      rows: [objects],
    } = await client.query(`
      select (select count(*)::int from pg_tables where schemaname = 'public') as tables,
             (select count(*)::int from pg_policies where schemaname = 'public') as policies,
             (select count(*)::int from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'public') as functions,
             (select count(*)::int from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
                where n.nspname in ('public', 'auth') and not t.tgisinternal) as triggers`);
    const { rows } = await client.query(`
      select table_schema || '.' || table_name as t,
             (xpath('/row/c/text()', query_to_xml(format('select count(*) as c from %I.%I', table_schema, table_name), false, true, '')))[1]::text::int as n
        from information_schema.tables
       where table_schema in ('public', 'auth') and table_type = 'BASE TABLE'
       order by 1`);
    const rowCounts = Object.fromEntries(rows.map((r) => [r.t, r.n]));
    const totalRows = rows.reduce((a, r) => a + r.n, 0);
    return { ...objects, totalRows, rowCounts };
  } finally {
    await client.end();
  }
}

/** psql on PATH, else Debian's /usr/lib/postgresql/<major>/bin/psql (newest major); undefined when there is none. */
export function findPsql() {
  const candidates = [];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) if (dir) candidates.push(path.join(dir, 'psql'));
  try {
    const majors = fs.readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
    for (const m of majors) candidates.push(`/usr/lib/postgresql/${m}/bin/psql`);
  } catch {
    /* no Debian packages */
  }
  for (const file of candidates) {
    try {
      fs.accessSync(file, fs.constants.X_OK);
      const version = execFileSync(file, ['--version'], { encoding: 'utf8' }).trim();
      return { path: file, version };
    } catch {
      /* next */
    }
  }
  return undefined;
}

const PSQL_FLAGS = ['-X', '-q', '-v', 'ON_ERROR_STOP=1'];
const quote = (s) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Environment for psql: no PG* variables from the caller's shell (PGOPTIONS etc.) leak into the peer. */
export function psqlEnv(extra = {}) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PG') && k !== 'DATABASE_URL'));
  return { ...env, ...extra };
}

/**
 * The peer as a shell script would do it today: one `psql -1 -f` process per file, stopping at the first failure.
 * The script reads the database URL from $BENCH_DB_URL. Returns the script's path.
 */
export function writePerFileScript(file, psql, sqlFiles) {
  const lines = ['#!/bin/sh', '# psql peer: one process per file, each file in one transaction (-1), as a deploy script would.', 'set -e'];
  for (const f of sqlFiles) lines.push(`${quote(psql)} ${PSQL_FLAGS.join(' ')} -1 -d "$BENCH_DB_URL" -f ${quote(f)}`);
  fs.writeFileSync(file, `${lines.join('\n')}\n`, { mode: 0o755 });
  return file;
}

/** Times `sh script` against `url` (seconds, including every psql start-up). */
export function runPerFileScript(script, url) {
  return runProcess('/bin/sh', [script], { env: psqlEnv({ BENCH_DB_URL: url }) });
}

/** Times the strongest peer: one psql process, every file as its own -f, all in one transaction. */
export function runSinglePsql(psql, url, sqlFiles) {
  const args = [...PSQL_FLAGS, '--single-transaction', '-d', url, ...sqlFiles.flatMap((f) => ['-f', f])];
  return runProcess(psql, args, { env: psqlEnv() });
}
