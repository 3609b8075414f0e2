/**
 * The shim's storage schema, on both engines: what projects' migrations do with it (buckets, policies and triggers on
 * storage.objects, foreign keys to storage.objects(id), `revoke … on all tables in schema storage`), its helper
 * functions, RLS and grants as on the platform, and reset emptying it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installShim, openEngine, type Engine } from '../../src/index.js';
import { wipeDatabase } from '../../src/features/migrate/reset.js';
import { createTestDatabase, engineNames, type TestDatabase } from '../support/postgres.js';

const MIGRATION = `
insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
values ('avatars', 'avatars', true, 5242880, array['image/png', 'image/jpeg']);
create policy "owners read their files" on storage.objects for select to authenticated
  using (bucket_id = 'avatars' and (storage.foldername(name))[1] = (select auth.uid()::text));
create policy "owners upload" on storage.objects for insert to authenticated
  with check (bucket_id = 'avatars' and owner_id = (select auth.uid()::text));
create table public.uploads (object_id uuid primary key references storage.objects (id) on delete cascade, seen_at timestamptz);
create function public.on_object_created() returns trigger language plpgsql as $$
begin
  insert into public.uploads (object_id) values (new.id);
  return new;
end $$;
create trigger on_object_created after insert on storage.objects for each row execute function public.on_object_created();
revoke all on all tables in schema storage from anon;`;

describe.each(engineNames)('shim storage on %s', (engineName) => {
  let engine: Engine;
  let db: TestDatabase | undefined;
  const user = '00000000-0000-0000-0000-0000000000b1';

  beforeAll(async () => {
    if (engineName === 'pglite') engine = await openEngine({ kind: 'pglite', memory: true });
    else {
      db = await createTestDatabase('shim_storage');
      engine = await openEngine({ kind: 'postgres', url: db.url });
    }
    await engine.transaction((tx) => installShim(tx));
    await engine.transaction((tx) => tx.exec(MIGRATION));
  });
  afterAll(async () => {
    await engine?.close();
    await db?.drop();
  });

  it('has every column of storage.objects and storage.buckets, path_tokens generated', async () => {
    const { rows } = await engine.query<{ t: string; cols: string[] }>(
      `select table_name as t, array_agg(column_name::text order by column_name) as cols from information_schema.columns
        where table_schema = 'storage' and table_name in ('objects', 'buckets') group by 1 order by 1`,
    );
    expect(rows).toEqual([
      {
        t: 'buckets',
        cols: [
          'allowed_mime_types',
          'avif_autodetection',
          'created_at',
          'file_size_limit',
          'id',
          'name',
          'owner',
          'owner_id',
          'public',
          'type',
          'updated_at',
          'versioning_status',
        ],
      },
      {
        t: 'objects',
        cols: [
          'archived_at',
          'bucket_id',
          'created_at',
          'id',
          'is_delete_marker',
          'is_versioned',
          'last_accessed_at',
          'metadata',
          'name',
          'owner',
          'owner_id',
          'path_tokens',
          'updated_at',
          'user_metadata',
          'version',
        ],
      },
    ]);
    const gen = await engine.query(
      `select attname, attgenerated from pg_attribute where attrelid = 'storage.objects'::regclass and attgenerated <> ''`,
    );
    expect(gen.rows).toEqual([{ attname: 'path_tokens', attgenerated: 's' }]);
  });

  it('runs a migration with a bucket, policies and a trigger on storage.objects and an FK to storage.objects(id)', async () => {
    const r = await engine.transaction(async (tx) => {
      await tx.exec(`insert into storage.objects (bucket_id, name, owner_id, metadata)
        values ('avatars', '${user}/me.png', '${user}', '{"size": 10}')`);
      return (
        await tx.query(`select o.path_tokens, u.object_id is not null as linked, o.id = u.object_id as same
        from storage.objects o join public.uploads u on u.object_id = o.id`)
      ).rows;
    });
    expect(r).toEqual([{ path_tokens: [user, 'me.png'], linked: true, same: true }]);
    const policies = await engine.query(`select policyname from pg_policies where schemaname = 'storage' order by 1`);
    expect(policies.rows.map((p) => p.policyname)).toEqual(['owners read their files', 'owners upload']);
  });

  it("enforces RLS on storage.objects for authenticated, and the revoke took anon's grants away", async () => {
    const seen = await engine.transaction(async (tx) => {
      await tx.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify({ sub: user, role: 'authenticated' })]);
      await tx.exec('set local role authenticated');
      const mine = (await tx.query<{ n: number }>(`select count(*)::int as n from storage.objects`)).rows[0]!.n;
      await tx.query(`select set_config('request.jwt.claims', $1, true)`, [
        JSON.stringify({ sub: '00000000-0000-0000-0000-0000000000ff', role: 'authenticated' }),
      ]);
      const theirs = (await tx.query<{ n: number }>(`select count(*)::int as n from storage.objects`)).rows[0]!.n;
      return { mine, theirs };
    });
    expect(seen).toEqual({ mine: 1, theirs: 0 });
    const { rows } = await engine.query(`select relname, relrowsecurity as rls,
        has_table_privilege('anon', c.oid, 'select') as anon, has_table_privilege('authenticated', c.oid, 'select') as authn
        from pg_class c where relnamespace = 'storage'::regnamespace and relname in ('objects', 'buckets') order by 1`);
    expect(rows).toEqual([
      { relname: 'buckets', rls: true, anon: false, authn: true },
      { relname: 'objects', rls: true, anon: false, authn: true },
    ]);
  });

  it('has foldername(), filename(), extension() and search() as the platform has them', async () => {
    const { rows } = await engine.query(`select storage.foldername('a/b/c.png') as folders, storage.filename('a/b/c.png') as file,
      storage.extension('a/b/c.tar.gz') as ext, storage.extension('a/b/readme') as none`);
    expect(rows).toEqual([{ folders: ['a', 'b'], file: 'c.png', ext: 'gz', none: 'readme' }]);
    await engine.transaction((tx) =>
      tx.exec(`insert into storage.objects (bucket_id, name) values
      ('avatars', 'docs/a.txt'), ('avatars', 'docs/b.txt'), ('avatars', 'docs/sub/c.txt'), ('avatars', 'top.txt')`),
    );
    const root = await engine.query(`select name, id is null as folder from storage.search('', 'avatars') order by name`);
    expect(root.rows).toEqual([
      { name: user, folder: true },
      { name: 'docs', folder: true },
      { name: 'top.txt', folder: false },
    ]);
    const docs = await engine.query(
      `select name, id is null as folder from storage.search('docs/', 'avatars', 2, 1, 0, '', 'name', 'desc')`,
    );
    expect(docs.rows).toEqual([
      { name: 'sub', folder: true },
      { name: 'b.txt', folder: false },
    ]);
    const found = await engine.query(`select name from storage.search('docs', 'avatars', 100, 1, 0, 'a')`);
    expect(found.rows).toEqual([{ name: 'a.txt' }]);
  });

  it('refuses direct deletes as the platform does, unless storage.allow_delete_query is set', async () => {
    const err = await engine.query(`delete from storage.objects where name = 'top.txt'`).catch((e: Error) => e);
    expect(err).toMatchObject({ code: '42501' });
    const n = await engine.transaction(async (tx) => {
      await tx.exec(`set local storage.allow_delete_query = 'true'`);
      return (await tx.query(`delete from storage.objects where name = 'top.txt'`)).affectedRows;
    });
    expect(n).toBe(1);
  });

  it('a reset empties storage (and the project schema) but keeps the shim', async () => {
    await engine.transaction((tx) => wipeDatabase(tx));
    const { rows } = await engine.query(`select (select count(*)::int from storage.buckets) as buckets,
      (select count(*)::int from storage.objects) as objects, to_regclass('public.uploads') is null as dropped,
      to_regprocedure('storage.search(text,text,integer,integer,integer,text,text,text)') is not null as kept`);
    expect(rows).toEqual([{ buckets: 0, objects: 0, dropped: true, kept: true }]);
  });
});
