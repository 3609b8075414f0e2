import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openEngine, reset, status, type KeelError } from '../../src/index.js';
import { resetOn } from '../../src/commands/reset.js';
import { prepareDatabase } from '../../src/commands/context.js';
import { openProject } from '../../src/core/project/layout.js';
import { loadProjectSql } from '../../src/features/migrate/load.js';
import { engineNames } from '../support/postgres.js';
import { makeProject, targetFor, type TestTarget, databaseOf } from '../support/projects.js';

/** A project whose migrations create, without IF NOT EXISTS, what survives a wipe of the user schemas. */
const FILES = {
  'migrations/001_extensions.sql': `create extension citext with schema extensions;
create extension hstore with schema extensions;
create table public.people (id int primary key, email extensions.citext not null, attrs extensions.hstore);`,
  'migrations/002_realtime.sql': `create publication app_changes for table public.people;
create function extensions.note_ddl() returns event_trigger language plpgsql as $$ begin end $$;
create event trigger note_ddl on ddl_command_end execute function extensions.note_ddl();`,
  'seed/001_people.sql': `insert into public.people values (1, 'Ada@Example.com', 'a=>1');`,
};

async function query<T>(root: string, t: TestTarget, sql: string): Promise<T[]> {
  const engine = await openEngine(
    t.url ? { kind: 'postgres', url: t.url } : { kind: 'pglite', dataDir: path.join(root, 'supabase/.keel/pglite') },
  );
  try {
    return (await engine.query<T>(sql)).rows;
  } finally {
    await engine.close();
  }
}

/** sha256 of every file under a directory, by relative path: "byte for byte". */
function treeHash(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

async function caught(p: Promise<unknown>): Promise<KeelError> {
  try {
    await p;
  } catch (err) {
    return err as KeelError;
  }
  throw new Error('expected a failure');
}

describe.each(engineNames)('atomic, repeatable reset on %s', (engineName) => {
  let target: TestTarget;
  afterEach(async () => target?.drop());
  const expectedMode = engineName === 'pglite' ? 'data-dir' : 'new-database';

  it('resets twice a project whose migrations create extensions, a publication and an event trigger without IF NOT EXISTS', async () => {
    target = await targetFor(engineName);
    const p = makeProject(FILES);
    const first = await reset({ cwd: p.root, ...target.options, yes: true });
    expect(first.mode).toBe(expectedMode);
    const second = await reset({ cwd: p.root, ...target.options, yes: true });
    expect(second.mode).toBe(expectedMode);
    expect(second.replaced).toBe(true);
    expect(second.migrations.map((m) => m.status)).toEqual(['applied', 'applied']);
    const rows = await query<{ email_matches: boolean; a: string; pubs: string; evts: string }>(
      p.root,
      target,
      `select (select count(*) from public.people where email operator(extensions.=) 'ada@example.com') = 1 as email_matches,
              (select extensions.fetchval(attrs, 'a') from public.people) as a,
              (select string_agg(pubname, ',') from pg_publication where pubname = 'app_changes') as pubs,
              (select string_agg(evtname, ',') from pg_event_trigger where evtname = 'note_ddl') as evts`,
    );
    expect(rows[0]).toEqual({ email_matches: true, a: '1', pubs: 'app_changes', evts: 'note_ddl' });
    if (engineName === 'pglite') {
      // the build dir and the old data dir are gone; a spare for the next reset waits beside the data dir
      const left = fs.readdirSync(path.join(p.root, 'supabase/.keel')).sort();
      expect(left).toEqual(['pglite', 'pglite.extensions.json', 'pglite.spare']);
      expect(JSON.parse(fs.readFileSync(path.join(p.root, 'supabase/.keel/pglite.extensions.json'), 'utf8'))).toEqual(['citext', 'hstore']);
    }
  });

  it('a reset whose last seed fails leaves the previous database as it was, also with a -- keel:no-transaction migration', async () => {
    target = await targetFor(engineName);
    const p = makeProject(FILES);
    await reset({ cwd: p.root, ...target.options, yes: true });
    // a row added by hand after the reset: the failed reset must not take it away
    await query(p.root, target, `insert into public.people values (2, 'grace@example.com', null)`);
    const dataDir = path.join(p.root, 'supabase/.keel/pglite');
    const before = engineName === 'pglite' ? treeHash(dataDir) : undefined;
    p.write(
      'migrations/003_index.sql',
      '-- keel:no-transaction\ncreate index concurrently people_email_idx on public.people (email);\ncreate table public.extra (id int);',
    );
    p.write('seed/002_broken.sql', `insert into public.people values (3, null, null);`);
    const err = await caught(reset({ cwd: p.root, ...target.options, yes: true }));
    expect(err.message).toContain('seed/002_broken.sql');
    if (before) expect(treeHash(dataDir)).toEqual(before);
    const rows = await query<{ ids: string; extra: string | null; idx: string | null }>(
      p.root,
      target,
      `select string_agg(id::text, ',' order by id) as ids, to_regclass('public.extra')::text as extra,
              to_regclass('public.people_email_idx')::text as idx from public.people`,
    );
    expect(rows[0]).toEqual({ ids: '1,2', extra: null, idx: null });
    expect((await status({ cwd: p.root, ...target.options })).applied).toBe(2);
    if (engineName === 'postgres') {
      // this database's scratch (other test files reset their own databases on the same server meanwhile)
      const scratch = await query<{ n: number }>(
        p.root,
        target,
        `select count(*)::int as n from pg_database where left(datname, length(current_database()) + 6) = current_database() || '_keel_'`,
      );
      expect(scratch[0]!.n).toBe(0); // the scratch database was dropped
    }
    // fixed, the same reset goes through
    p.remove('seed/002_broken.sql');
    const ok = await reset({ cwd: p.root, ...target.options, yes: true });
    expect(ok.migrations).toHaveLength(3);
  });
});

describe.each(engineNames)('reset in place on %s', (engineName) => {
  let target: TestTarget;
  afterEach(async () => target?.drop());

  it('drops what the previous build left outside the user schemas, so the same files build again', async () => {
    target = await targetFor(engineName);
    const p = makeProject({
      ...FILES,
      'migrations/003_auth_policy.sql': `create policy "self" on auth.users for select using (id = auth.uid());`,
    });
    const engine = await openEngine(databaseOf(p.root, target), { extensions: ['citext', 'hstore'] });
    try {
      const sql = await loadProjectSql(openProject(p.root));
      const first = await resetOn(engine, sql, { yes: true });
      expect(first.mode).toBe('in-place');
      const second = await resetOn(engine, sql, { yes: true });
      expect(second.dropped).toContain('public');
      expect(second.droppedOutside).toEqual(
        expect.arrayContaining([
          'event trigger "note_ddl"',
          'extension "citext"',
          'extension "hstore"',
          'policy "self" on "auth"."users"',
          'function extensions.note_ddl()',
          'publication "app_changes"',
        ]),
      );
      const { rows } = await engine.query<{ n: number }>(`select count(*)::int as n from public.people`);
      expect(rows[0]!.n).toBe(1);
    } finally {
      await engine.close();
    }
  });

  if (engineName === 'postgres') {
    it('is the mode where the role may not create databases, and says why', async () => {
      target = await targetFor(engineName);
      const role = `keel_nocreatedb_${process.pid}`;
      const admin = await openEngine({ kind: 'postgres', url: target.url! });
      const dbName = new URL(target.url!).pathname.slice(1);
      try {
        // an admin set the database up (the shim's roles and schemas), as on a managed server; the role owns it
        await admin.transaction((tx) => prepareDatabase(tx));
        await admin.exec(
          `create role ${role} login password 'pw' nocreatedb; alter database "${dbName}" owner to ${role}; alter schema public owner to ${role}`,
        );
        // it may use what the admin owns (membership passes no SUPERUSER or CREATEDB attribute on)
        const { rows: owners } = await admin.query<{ r: string }>(
          `select distinct quote_ident(pg_get_userbyid(o)) as r from (
             select nspowner as o from pg_namespace union select relowner from pg_class union select proowner from pg_proc) x
            where not (select rolsuper from pg_roles where oid = o) and pg_get_userbyid(o) <> $1`,
          [role],
        );
        await admin.exec(
          `grant ${[`"${decodeURIComponent(new URL(target.url!).username)}"`, ...owners.map((o) => o.r)].join(', ')} to ${role}`,
        );
      } finally {
        await admin.close();
      }
      const url = new URL(target.url!);
      url.username = role;
      url.password = 'pw';
      const p = makeProject({ 'migrations/001_a.sql': 'create table public.a (id int);' });
      const r = await reset({ cwd: p.root, dbUrl: url.toString(), env: {}, yes: true });
      expect(r).toMatchObject({
        mode: 'in-place',
        replaced: false,
        inPlaceReason: expect.stringContaining('may not create databases (CREATEDB)'),
      });
      expect(r.migrations.map((m) => m.status)).toEqual(['applied']);
    });

    it('ends the other local sessions on the database before the swap', async () => {
      target = await targetFor(engineName);
      const p = makeProject({ 'migrations/001_a.sql': 'create table public.a (id int);' });
      const pg = (await import('pg')).default;
      const other = new pg.Client({ connectionString: target.url });
      other.on('error', () => undefined);
      await other.connect();
      const r = await reset({ cwd: p.root, ...target.options, yes: true });
      expect(r.mode).toBe('new-database');
      await expect(other.query('select 1')).rejects.toThrow();
      await other.end().catch(() => undefined);
    });
  }
});
