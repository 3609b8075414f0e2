import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeelError, migrate, openEngine, reset, type Engine } from '../../src/index.js';
import { loadConfig } from '../../src/core/project/config.js';
import { ensureParser } from '../../src/core/sql/parser.js';
import { splitSql } from '../../src/core/sql/split.js';
import { withPlatformExtensions } from '../../src/db/extensions/resolve.js';
import { configureExtensions } from '../../src/db/extensions/settings.js';
import { createTestDatabase, engineNames, pgAdminUrl } from '../support/postgres.js';
import { makeProject, targetFor } from '../support/projects.js';

async function caught(p: Promise<unknown>): Promise<KeelError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof KeelError) return err;
    throw err;
  }
  throw new Error('expected a KeelError');
}

/** Migrates a one-off project on the engine; returns the result or the KeelError, and whether `probe` then holds. */
async function tryProject(engineName: 'pglite' | 'postgres', files: Record<string, string>, probe?: string) {
  const p = makeProject(files);
  const t = await targetFor(engineName);
  try {
    let error: KeelError | undefined;
    let warnings: string[] = [];
    try {
      // nothing to look at afterwards: a throwaway in-memory PGlite is enough
      const memory = !probe && !t.url ? { memory: true } : {};
      warnings = (await migrate({ cwd: p.root, ...t.options, ...memory })).warnings;
    } catch (err) {
      if (!(err instanceof KeelError)) throw err;
      error = err;
    }
    let rows: Record<string, unknown>[] = [];
    if (probe) {
      const e = await openEngine(t.url ? { kind: 'postgres', url: t.url } : { kind: 'pglite', dataDir: `${p.root}/supabase/.keel/pglite` });
      try {
        rows = (await e.query(probe)).rows;
      } finally {
        await e.close();
      }
    }
    return { error, warnings, rows };
  } finally {
    await t.drop();
  }
}

async function serverHas(name: string, url: string): Promise<boolean> {
  const e = await openEngine({ kind: 'postgres', url });
  try {
    return (await e.query(`select 1 from pg_available_extensions where name = $1`, [name])).rows.length > 0;
  } finally {
    await e.close();
  }
}

describe.each(engineNames)('extensions the engine lacks, on %s', (engineName) => {
  it('an extension no engine here has (wrappers) stops at file:line:col naming it and where it exists; the file left nothing behind', async () => {
    const { error, rows } = await tryProject(
      engineName,
      {
        'migrations/001_fdw.sql': `create table public.before_it (id int);\n  create extension if not exists wrappers with schema extensions;`,
      },
      `select to_regclass('public.before_it') is null as gone`,
    );
    expect(error?.code).toBe('KEEL_EXTENSION_UNAVAILABLE');
    const where = engineName === 'pglite' ? 'the embedded database (PGlite)' : 'this PostgreSQL server';
    expect(error?.message).toBe(`supabase/migrations/001_fdw.sql:2:3: extension "wrappers" is not available on ${where}`);
    expect(error?.location).toEqual({ file: 'supabase/migrations/001_fdw.sql', line: 2, column: 3 });
    expect(error?.detail).toMatch(/^available on: Supabase \(hosted projects\); a PostgreSQL server with it installed$/);
    expect(error?.excerpt).toContain('create extension if not exists wrappers');
    expect(rows).toEqual([{ gone: true }]);
  });

  it('[db] stand_ins = false refuses a stand-in with file:line and what to do', async () => {
    const { error } = await tryProject(engineName, {
      'keel.toml': '[db]\nstand_ins = false\n',
      'migrations/001_net.sql': '-- webhooks\ncreate extension if not exists pg_net with schema extensions;',
    });
    expect(error?.code).toBe('KEEL_STAND_IN_REFUSED');
    expect(error?.message).toMatch(
      /^supabase\/migrations\/001_net\.sql:2:1: extension "pg_net" is not available on .*, and \[db\] stand_ins = false refuses Keel's stand-in$/,
    );
    expect(error?.hint).toMatch(/set \[db\] stand_ins = true/);
  });

  it('keel db reset on a server (built in a scratch database, then swapped in) follows [db] stand_ins and announces', async () => {
    if (engineName !== 'postgres') return;
    const p = makeProject({ 'migrations/001_net.sql': 'create extension if not exists pg_net with schema extensions;' });
    const t = await targetFor('postgres');
    try {
      const r = await reset({ cwd: p.root, ...t.options, yes: true });
      expect(r.warnings.filter((w) => w.startsWith('stand-in for pg_net:'))).toHaveLength(1);
      p.write('keel.toml', '[db]\nstand_ins = false\n');
      const err = await caught(reset({ cwd: p.root, ...t.options, yes: true }));
      expect(err.code).toBe('KEEL_STAND_IN_REFUSED');
    } finally {
      await t.drop();
    }
  });

  it("[db] stand_ins = false still allows the real extensions and Keel's own pgjwt", async () => {
    const { error, rows } = await tryProject(
      engineName,
      {
        'keel.toml': '[db]\nstand_ins = false\n',
        'migrations/001_jwt.sql':
          'create extension if not exists pgjwt with schema extensions cascade;\ncreate extension if not exists citext;',
      },
      `select (select valid from extensions.verify(extensions.sign('{"a":1}'::json, 's'), 's')) as valid, 'X'::citext = 'x'::citext as ci`,
    );
    expect(error).toBeUndefined();
    expect(rows).toEqual([{ valid: true, ci: true }]);
  });

  it('vector: the real pgvector (PGlite always; a server where it is installed), with hnsw and ivfflat indexes and <-> order; else a precise error', async () => {
    const files = {
      'migrations/001_vector.sql': `create extension if not exists vector with schema extensions;
create table public.items (id int primary key, embedding vector(3));
insert into public.items values (1, '[1,0,0]'), (2, '[0,1,0]'), (3, '[0.9,0.1,0]');
create index items_hnsw on public.items using hnsw (embedding vector_l2_ops);
create index items_ivf on public.items using ivfflat (embedding vector_cosine_ops) with (lists = 1);`,
    };
    const probe = `select string_agg(id::text, ',' order by embedding operator(extensions.<->) '[1,0,0]') as ids,
      (select count(*)::int from pg_indexes where tablename = 'items' and indexname in ('items_hnsw', 'items_ivf')) as indexes,
      (select extnamespace::regnamespace::text from pg_extension where extname = 'vector') as schema
      from public.items`;
    const real = engineName === 'pglite' || (await serverHas('vector', pgAdminUrl()!));
    const { error, rows, warnings } = await tryProject(engineName, files, real ? probe : undefined);
    if (real) {
      expect(error).toBeUndefined();
      expect(rows).toEqual([{ ids: '1,3,2', indexes: 2, schema: 'extensions' }]);
      expect(warnings.some((w) => w.includes('vector'))).toBe(false);
    } else {
      expect(error?.code).toBe('KEEL_EXTENSION_UNAVAILABLE');
      expect(error?.message).toBe('supabase/migrations/001_vector.sql:1:1: extension "vector" is not available on this PostgreSQL server');
      expect(error?.detail).toMatch(
        /PGlite \(Keel's embedded database\); Supabase \(hosted projects\); a PostgreSQL server with it installed \(Debian: postgresql-\d+-pgvector\)/,
      );
    }
  });

  it('postgis: real where the server has it (a geography column, st_makepoint)', async () => {
    if (engineName !== 'postgres' || !(await serverHas('postgis', pgAdminUrl()!))) return;
    const { error, rows } = await tryProject(
      engineName,
      {
        'migrations/001_gis.sql':
          'create extension if not exists postgis with schema extensions;\ncreate table public.places (id int, at extensions.geography(point));',
      },
      `select extensions.st_astext(extensions.st_makepoint(1, 2)) as wkt`,
    );
    expect(error).toBeUndefined();
    expect(rows).toEqual([{ wkt: 'POINT(1 2)' }]);
  });
});

describe('[db] stand_ins in keel.toml', () => {
  it('defaults to true, reads false, and rejects anything but a boolean', () => {
    const dir = (toml?: string) => {
      const p = makeProject(toml === undefined ? {} : { 'keel.toml': toml });
      return `${p.root}/supabase`;
    };
    expect(loadConfig(dir()).db.standIns).toBe(true);
    expect(loadConfig(dir('[db]\nstand_ins = false\n')).db.standIns).toBe(false);
    let err: KeelError | undefined;
    try {
      loadConfig(dir('[db]\nstand_ins = "no"\nother = 1\n'));
    } catch (e) {
      err = e as KeelError;
    }
    expect(err?.problems).toEqual([
      'supabase/keel.toml:2:1: db.stand_ins must be true or false',
      'supabase/keel.toml:3:1: unknown key "db.other" (known: stand_ins, engine, keep_warm)',
    ]);
  });
});

/** The decision alone, on one open database per engine: what a file's `create extension` lines become, or the error. */
describe.each(engineNames)('resolving create extension lines on %s', (engineName) => {
  let engine: Engine;
  let drop = async () => undefined as unknown;
  beforeAll(async () => {
    await ensureParser();
    if (engineName === 'pglite') engine = await openEngine({ kind: 'pglite', memory: true });
    else {
      const db = await createTestDatabase('ext_resolve');
      drop = db.drop;
      engine = await openEngine({ kind: 'postgres', url: db.url });
    }
  }, 60_000);
  afterAll(async () => {
    await engine?.close();
    await drop();
  });
  const file = (text: string) => {
    const f = { file: 'supabase/migrations/001_x.sql', path: '', text, sha256: '' };
    return { file: f, statements: splitSql(text, f.file) };
  };
  const resolveErr = async (text: string) => {
    try {
      await withPlatformExtensions(engine, engine, file(text));
    } catch (err) {
      if (err instanceof KeelError) return err;
      throw err;
    }
    throw new Error('expected a KeelError');
  };

  it('a name Supabase does not offer either says so', async () => {
    const err = await resolveErr('select 1;\ncreate extension no_such_ext;');
    expect(err.message).toMatch(/^supabase\/migrations\/001_x\.sql:2:1: extension "no_such_ext" is not available on /);
    expect(err.hint).toMatch(/not an extension Supabase offers either/);
  });

  it('postgis on PGlite: an error naming the engines that have it (and not PGlite)', async () => {
    if (engineName !== 'pglite') return;
    const err = await resolveErr('create extension if not exists postgis with schema extensions;');
    expect(err.message).toBe('supabase/migrations/001_x.sql:1:1: extension "postgis" is not available on the embedded database (PGlite)');
    expect(err.detail).toMatch(
      /^available on: Supabase \(hosted projects\); a PostgreSQL server with it installed \(Debian: postgresql-\d+-postgis-3\)$/,
    );
  });

  it("supabase_vault: nothing to create where vault.secrets exists (the shim's vault), announced once; else an error", async () => {
    const notes: string[] = [];
    configureExtensions(engine, { standIns: true, notes });
    const text =
      'create extension if not exists supabase_vault with schema vault;\ncreate extension if not exists supabase_vault with schema vault;';
    const hasVault = (await engine.query(`select to_regclass('vault.secrets') is not null as v`)).rows[0]!.v;
    if (!hasVault) {
      expect((await resolveErr(text)).message).toMatch(
        /001_x\.sql:1:1: extension "supabase_vault" is not available on .*, and the Supabase shim's vault is not installed/,
      );
      await engine.exec('create schema vault; create table vault.secrets (id uuid)'); // what the shim provides, minimally
    }
    const out = await withPlatformExtensions(engine, engine, file(text));
    expect(out.statements).toEqual([]);
    expect(notes.filter((n) => n.startsWith('supabase_vault:'))).toHaveLength(1);
  });

  it("pgjwt without CASCADE where pgcrypto is missing: Postgres's own message", async () => {
    const has = (await engine.query(`select 1 from pg_extension where extname = 'pgcrypto'`)).rows.length > 0;
    if (has) await engine.exec('drop extension pgcrypto');
    const err = await resolveErr('create extension pgjwt;');
    expect(err.message).toBe('supabase/migrations/001_x.sql:1:1: required extension "pgcrypto" is not installed');
    const out = await withPlatformExtensions(engine, engine, file('create extension pgjwt with schema public cascade;'));
    expect(out.statements[0]!.sql).toMatch(
      /^create extension if not exists "pgcrypto" with schema "public";\ncreate function "public"\._unsupported_algorithm/,
    );
  });
});
