import { randomBytes } from 'node:crypto';
import { KeelError } from '../../core/errors.js';
import type { Engine, Queryable } from '../../db/engine.js';
import { openEngine } from '../../db/open.js';

/** What a swap needs to know about the target database and the role connected to it. */
export interface DatabaseFacts {
  name: string;
  user: string;
  superuser: boolean;
  createdb: boolean;
  /** The role is (a member of) the database's owner. */
  owner: boolean;
  ownerName: string;
  encoding: string;
  collate: string;
  ctype: string;
  /** 'c' (libc) or 'i' (ICU); PostgreSQL 15+ only. */
  localeProvider?: string;
  iculocale?: string;
  /** The port the server listens on (null over a unix socket): differs from the URL's behind a pooler. */
  serverPort: number | null;
  version: number;
}

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;
const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

/**
 * Reads the target's facts. pg_database is read as JSON so the locale columns of any server version come along.
 *
 * @example
 * const facts = await databaseFacts(engine); // { name: 'app', createdb: true, owner: true, … }
 */
export async function databaseFacts(db: Queryable): Promise<DatabaseFacts> {
  const { rows } = await db.query<{
    d: Record<string, unknown>;
    user: string;
    superuser: boolean;
    createdb: boolean;
    owner: boolean;
    ownername: string;
    encoding: string;
    port: number | null;
    version: number;
  }>(
    `select to_jsonb(d) as d, current_user as user, r.rolsuper as superuser, r.rolcreatedb as createdb,
            pg_has_role(current_user, d.datdba, 'MEMBER') as owner, pg_get_userbyid(d.datdba) as ownername,
            pg_encoding_to_char(d.encoding) as encoding, inet_server_port() as port,
            current_setting('server_version_num')::int as version
       from pg_database d, pg_roles r where d.datname = current_database() and r.rolname = current_user`,
  );
  const r = rows[0]!;
  return {
    name: String(r.d.datname),
    user: r.user,
    superuser: r.superuser,
    createdb: r.createdb,
    owner: r.owner,
    ownerName: r.ownername,
    encoding: r.encoding,
    collate: typeof r.d.datcollate === 'string' ? r.d.datcollate : '',
    ctype: typeof r.d.datctype === 'string' ? r.d.datctype : '',
    localeProvider: typeof r.d.datlocprovider === 'string' ? r.d.datlocprovider : undefined,
    iculocale: (r.d.daticulocale ?? r.d.datlocale ?? undefined) as string | undefined,
    serverPort: r.port === null ? null : Number(r.port),
    version: Number(r.version),
  };
}

export interface ScratchNames {
  /** Where the new database is built: `<db>_keel_reset_<rand>`. */
  scratch: string;
  /** What the old database is called between the swap and its drop: `<db>_keel_old_<rand>`. */
  old: string;
  /** Prefixes of both, for finding a killed reset's leftovers. */
  prefixes: string[];
}

/** Names for a swap, within Postgres's 63-byte identifier limit. */
export function scratchNames(db: string): ScratchNames {
  const rand = randomBytes(4).toString('hex');
  let base = db;
  while (Buffer.byteLength(`${base}_keel_reset_${rand}`) > 63) base = base.slice(0, -1);
  return { scratch: `${base}_keel_reset_${rand}`, old: `${base}_keel_old_${rand}`, prefixes: [`${base}_keel_reset_`, `${base}_keel_old_`] };
}

/** The same URL pointing at another database on the same server. */
export function urlForDatabase(url: string, db: string): string {
  const u = new URL(url);
  if (u.searchParams.has('dbname')) u.searchParams.set('dbname', db);
  u.pathname = `/${encodeURIComponent(db)}`;
  return u.toString();
}

function force(version: number): string {
  return version >= 130000 ? ' with (force)' : '';
}

/** Drops a database (its sessions ended first on PostgreSQL 13+). */
export async function dropDatabase(db: Queryable, name: string, version?: number): Promise<void> {
  const v = version ?? Number((await db.query<{ v: string }>(`select current_setting('server_version_num') as v`)).rows[0]?.v);
  await db.exec(`drop database if exists ${q(name)}${force(v)}`);
}

/**
 * Drops what a killed reset left on the server: scratch and old databases of this database nobody is connected to
 * (a reset still building has its connections open, so its scratch database is left alone).
 */
export async function dropLeftoverDatabases(db: Queryable, facts: DatabaseFacts): Promise<string[]> {
  const prefixes = scratchNames(facts.name).prefixes;
  const { rows } = await db.query<{ name: string }>(
    `select d.datname as name from pg_database d
      where (left(d.datname, length($1)) = $1 or left(d.datname, length($2)) = $2)
        and not exists (select 1 from pg_stat_activity a where a.datname = d.datname)`,
    prefixes,
  );
  const dropped: string[] = [];
  for (const r of rows) {
    try {
      await db.exec(`drop database if exists ${q(r.name)}`);
      dropped.push(r.name);
    } catch {
      /* someone connected meanwhile: the next reset tries again */
    }
  }
  return dropped;
}

/**
 * Creates the empty scratch database the way `createdb` would: from template1 (so what the server's admin put there
 * comes along) when its encoding and locale match the target's, else from template0 with the target's encoding and
 * locale. The owner is the target's. With `template` (Keel's shim template on its own server: shim-template.ts), a copy
 * of that database.
 */
export async function createScratchDatabase(db: Queryable, facts: DatabaseFacts, scratch: string, template?: string): Promise<void> {
  const owner = facts.superuser || facts.ownerName !== facts.user ? ` owner ${q(facts.ownerName)}` : '';
  if (template) {
    await db.exec(`create database ${q(scratch)} template ${q(template)}${owner}`);
    return;
  }
  const { rows } = await db.query<{ same: boolean }>(
    `select pg_encoding_to_char(d.encoding) = $1 and d.datcollate = $2 and d.datctype = $3
            and coalesce(to_jsonb(d) ->> 'datlocprovider', '') = coalesce($4, '')
            and coalesce(to_jsonb(d) ->> 'daticulocale', to_jsonb(d) ->> 'datlocale', '') = coalesce($5, '') as same
       from pg_database d where d.datname = 'template1'`,
    [facts.encoding, facts.collate, facts.ctype, facts.localeProvider ?? null, facts.iculocale ?? null],
  );
  if (rows[0]?.same) {
    try {
      await db.exec(`create database ${q(scratch)} template template1${owner}`);
      return;
    } catch (err) {
      if (sqlStateOf(err) !== '55006') throw err; // template1 in use by someone: template0 below
    }
  }
  const icu = facts.localeProvider === 'i' && facts.iculocale ? ` locale_provider icu icu_locale ${lit(facts.iculocale)}` : '';
  await db.exec(
    `create database ${q(scratch)} template template0 encoding ${lit(facts.encoding)} lc_collate ${lit(facts.collate)} lc_ctype ${lit(facts.ctype)}${icu}${owner}`,
  );
}

export function sqlStateOf(err: unknown): string | undefined {
  const e = err as { sqlState?: string; code?: string };
  return e.sqlState ?? e.code;
}

interface Session {
  pid: number;
  usename: string | null;
  application_name: string;
  client_addr: string | null;
}

const isLoopback = (addr: string | null) => addr === null || addr === '127.0.0.1' || addr === '::1' || addr.startsWith('127.');

async function otherSessions(m: Queryable, name: string): Promise<Session[]> {
  const { rows } = await m.query<Session>(
    `select pid, usename, application_name, host(client_addr) as client_addr from pg_stat_activity
      where datname = $1 and pid <> pg_backend_pid() order by pid`,
    [name],
  );
  return rows;
}

async function openMaintenance(url: string, facts: DatabaseFacts): Promise<Engine> {
  const first = facts.name === 'postgres' ? 'template1' : 'postgres';
  try {
    return await openEngine({ kind: 'postgres', url: urlForDatabase(url, first) });
  } catch (err) {
    if ((err as KeelError).code !== 'KEEL_DB_MISSING' || first === 'template1') throw err;
    return openEngine({ kind: 'postgres', url: urlForDatabase(url, 'template1') });
  }
}

/**
 * Gives the finished scratch database the target's name, from the maintenance database (`postgres`, or `template1`
 * when the target is `postgres`): both renames in one transaction, so the name always points at a whole database.
 * Other sessions on the target block a rename: on this local database they are ended when they all come from this
 * machine; a session from elsewhere makes the reset refuse (the scratch database is dropped, the old one untouched).
 * Then the old database is dropped — or, with `deferDrop` (Keel's own server, whose keeper drops it within seconds:
 * keel-databases.ts), left for that. Returns warnings (an old database that could not be dropped yet).
 */
export async function swapDatabases(
  url: string,
  facts: DatabaseFacts,
  names: ScratchNames,
  opts: { deferDrop?: boolean } = {},
): Promise<string[]> {
  const m = await openMaintenance(url, facts);
  try {
    try {
      for (let attempt = 1; ; attempt++) {
        const others = await otherSessions(m, facts.name);
        const remote = others.filter((s) => !isLoopback(s.client_addr));
        if (remote.length > 0) {
          const who = remote
            .map(
              (s) =>
                `pid ${s.pid}${s.usename ? ` (${s.usename}` : ' ('}${s.application_name ? `, ${s.application_name}` : ''}, from ${s.client_addr})`,
            )
            .join('; ');
          throw new KeelError(
            'KEEL_RESET_IN_USE',
            `cannot replace database ${facts.name}: ${remote.length} session(s) from other machines are connected to it: ${who}`,
            {
              hint: 'close those sessions and reset again, or reset in place (library: reset({ mode: "in-place" })); the database was left as it was',
            },
          );
        }
        if (others.length > 0) {
          await m.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [
            facts.name,
          ]);
          for (let i = 0; i < 100 && (await otherSessions(m, facts.name)).length > 0; i++) await new Promise((r) => setTimeout(r, 50));
        }
        try {
          await m.transaction(async (tx) => {
            await tx.exec(`alter database ${q(facts.name)} rename to ${q(names.old)}`);
            await tx.exec(`alter database ${q(names.scratch)} rename to ${q(facts.name)}`);
          });
          break;
        } catch (err) {
          // 55006: a session (re)connected meanwhile
          if (sqlStateOf(err) !== '55006' || attempt >= 3) throw err;
        }
      }
    } catch (err) {
      await dropDatabase(m, names.scratch, facts.version).catch(() => undefined);
      throw err;
    }
    if (opts.deferDrop) return [];
    try {
      await dropDatabase(m, names.old, facts.version);
      return [];
    } catch (err) {
      return [`the previous database, now ${names.old}, could not be dropped yet (${(err as Error).message}); the next reset drops it`];
    }
  } finally {
    await m.close();
  }
}
