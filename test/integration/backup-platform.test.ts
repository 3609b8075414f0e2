/**
 * A real-style Supabase project through `keel db backup` and `keel db restore --clean`, on both engines: what it puts
 * on the platform comes back object by object — tables added to `supabase_realtime` (with a column list and a row
 * filter) and a publication of its own, a domain whose CHECK calls one of its functions, the rows of auth.users,
 * auth.identities, storage.buckets and storage.objects, policies and triggers it added on storage.objects and
 * auth.users, and database webhooks (triggers calling supabase_functions.http_request).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine, reset } from '../../src/index.js';
import { backup, restore, type BackupResult, type RestoreResult } from '../../src/commands/backup.js';
import { diffCatalogs, readCatalog, type Catalog } from '../../src/core/catalog/index.js';
import type { Engine } from '../../src/db/engine.js';
import { userSchemas } from '../../src/features/migrate/reset.js';
import { engineNames } from '../support/postgres.js';
import { makeProject, targetFor, type TestTarget, databaseOf } from '../support/projects.js';

const MIGRATION = String.raw`
create function public.is_slug(v text) returns boolean language sql immutable as $$ select v ~ '^[a-z0-9-]+$' $$;
-- The CHECK calls the project's function: the function must exist before the check does.
create domain public.slug as text check (public.is_slug(value));

create table public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  username public.slug unique,
  avatar_count int not null default 0
);
create table public.rooms (id bigint primary key, name text not null, secret text);
create table public.messages (
  id bigint generated always as identity primary key,
  room_id bigint not null references public.rooms (id),
  profile_id uuid references public.profiles (id),
  body text not null
);
alter table public.profiles enable row level security;
create policy "profiles are public" on public.profiles for select using (true);

-- Realtime: the platform's publication gets the project's tables; one more publication of its own.
alter publication supabase_realtime add table public.messages;
alter publication supabase_realtime add table public.rooms (id, name) where (id > 0);
create publication app_audit for table public.profiles with (publish = 'insert, update');

-- A trigger on auth.users creating profiles.
create function public.handle_new_user() returns trigger language plpgsql security definer set search_path = '' as $$
begin
  insert into public.profiles (id, username) values (new.id, new.raw_user_meta_data ->> 'username');
  return new;
end $$;
create trigger on_auth_user_created after insert on auth.users for each row execute function public.handle_new_user();

-- Storage: a bucket, policies on storage.objects, a trigger on it calling the project's function.
insert into storage.buckets (id, name, public) values ('avatars', 'avatars', true);
create policy "avatars are public" on storage.objects for select using (bucket_id = 'avatars');
create policy "users upload their own avatar" on storage.objects for insert to authenticated
  with check (bucket_id = 'avatars' and (storage.foldername(name))[1] = (select auth.uid())::text);
create function public.count_avatar() returns trigger language plpgsql security definer set search_path = '' as $$
begin
  update public.profiles set avatar_count = avatar_count + 1 where id = new.owner;
  return new;
end $$;
create trigger objects_count_avatar after insert on storage.objects for each row execute function public.count_avatar();

-- Database webhooks, as the dashboard writes them: on a project table and on a platform table.
create trigger messages_webhook after insert on public.messages for each row
  execute function supabase_functions.http_request('http://localhost:54321/functions/v1/notify', 'POST', '{"Content-Type":"application/json"}', '{}', '1000');
create trigger users_webhook after update on auth.users for each row
  execute function supabase_functions.http_request('http://localhost:54321/functions/v1/user-updated', 'POST', '{}', '{}', '5000');
`;

const SEED = String.raw`
insert into auth.users (id, email, raw_user_meta_data) values
  ('00000000-0000-0000-0000-00000000000a', 'ada@example.test', '{"username": "ada"}'),
  ('00000000-0000-0000-0000-00000000000b', 'bob@example.test', '{"username": "bob"}');
insert into auth.identities (provider_id, user_id, identity_data, provider, created_at) values
  ('00000000-0000-0000-0000-00000000000a', '00000000-0000-0000-0000-00000000000a', '{"sub": "a", "email": "Ada@Example.test"}', 'email', '2026-01-01'),
  ('gh-42', '00000000-0000-0000-0000-00000000000b', '{"sub": "42", "email": "bob@example.test"}', 'github', '2026-01-02');
insert into storage.objects (bucket_id, name, owner, metadata) values
  ('avatars', '00000000-0000-0000-0000-00000000000a/me.png', '00000000-0000-0000-0000-00000000000a', '{"size": 1234, "mimetype": "image/png"}'),
  ('avatars', '00000000-0000-0000-0000-00000000000b/me.jpg', '00000000-0000-0000-0000-00000000000b', '{"size": 99, "mimetype": "image/jpeg"}');
insert into public.rooms values (1, 'general', 's1'), (2, 'random', 's2');
insert into public.messages (room_id, profile_id, body) values (1, '00000000-0000-0000-0000-00000000000a', 'hello');
`;

const PLATFORM_DATA = ['auth.users', 'auth.identities', 'storage.buckets', 'storage.objects'];

async function open(root: string, target: TestTarget): Promise<Engine> {
  return openEngine(databaseOf(root, target));
}

interface State {
  catalog: Catalog;
  /** Policies and triggers on the platform's auth and storage tables. */
  platform: Pick<Catalog, 'policies' | 'triggers'>;
  data: Record<string, string>;
}

async function state(root: string, target: TestTarget): Promise<State> {
  const engine = await open(root, target);
  try {
    const catalog = await readCatalog(engine, { schemas: await userSchemas(engine) });
    const { policies, triggers } = await readCatalog(engine, { schemas: ['auth', 'storage'] });
    const data: Record<string, string> = {};
    for (const t of [...PLATFORM_DATA, 'public.profiles', 'public.rooms', 'public.messages']) {
      const { rows } = await engine.query<{ n: number; h: string | null }>(
        `select count(*)::int as n, md5(string_agg(t::text, '|' order by t::text)) as h from ${t} t`,
      );
      data[t] = `${rows[0]!.n}:${rows[0]!.h}`;
    }
    return { catalog, platform: { policies, triggers }, data };
  } finally {
    await engine.close();
  }
}

async function query<T>(root: string, target: TestTarget, sql: string): Promise<T[]> {
  const engine = await open(root, target);
  try {
    return (await engine.query<T & Record<string, unknown>>(sql)).rows;
  } finally {
    await engine.close();
  }
}

describe.each(engineNames)('a real-style project backed up and restored on %s', (engineName) => {
  const targets: TestTarget[] = [];
  let src: { root: string; target: TestTarget };
  let dst: { root: string; target: TestTarget };
  let b: BackupResult;
  let r: RestoreResult;
  let before: State;
  let after: State;
  beforeAll(async () => {
    src = {
      root: makeProject({ 'migrations/20260101000000_app.sql': MIGRATION, 'seed.sql': SEED }).root,
      target: await targetFor(engineName),
    };
    targets.push(src.target);
    await reset({ cwd: src.root, ...src.target.options, yes: true });
    b = await backup({ cwd: src.root, ...src.target.options, pageRows: 1 });
    dst = { root: makeProject().root, target: await targetFor(engineName) };
    targets.push(dst.target);
    // The target's platform lacks supabase_realtime (a plain server, or one where it was dropped): restore makes it.
    await reset({ cwd: dst.root, ...dst.target.options, yes: true });
    await query(dst.root, dst.target, 'drop publication if exists supabase_realtime');
    r = await restore(b.path, { cwd: dst.root, ...dst.target.options, clean: true });
    before = await state(src.root, src.target);
    after = await state(dst.root, dst.target);
  }, 240_000);
  afterAll(async () => {
    for (const t of targets) await t.drop();
  });

  it('the seed went through the project triggers (the fixture is what it claims)', () => {
    expect(before.data['public.profiles']).toMatch(/^2:/);
    expect(before.data['storage.objects']).toMatch(/^2:/);
    expect(before.data['auth.identities']).toMatch(/^2:/);
  });

  it('backs up the rows of auth.users, auth.identities, storage.buckets and storage.objects, platform tables first', () => {
    const names = b.manifest.tables.map((t) => `${t.schema}.${t.name}`);
    expect(names.slice(0, 4)).toEqual(PLATFORM_DATA);
    expect(b.manifest.tables.slice(0, 4).map((t) => [t.role, t.rows])).toEqual([
      ['auth', 2],
      ['platform', 2],
      ['platform', 1],
      ['platform', 2],
    ]);
    // Generated columns (identities.email, objects.path_tokens) are left to the target to compute.
    expect(b.manifest.tables[1]!.columns.map((c) => c.name)).not.toContain('email');
    expect(b.manifest.tables[3]!.columns.map((c) => c.name)).not.toContain('path_tokens');
  });

  it('restores every row, equal table by table, and nothing fired twice while loading', () => {
    expect(r.tables.filter((t) => PLATFORM_DATA.includes(t.table)).map((t) => t.rows)).toEqual([2, 2, 1, 2]);
    expect(after.data).toEqual(before.data);
  });

  it('the user schemas are equal object by object, publications included', () => {
    expect(diffCatalogs(before.catalog, after.catalog)).toEqual([]);
    const realtime = after.catalog.publications!.find((p) => p.name === 'supabase_realtime')!;
    expect(realtime.tables).toEqual([
      { schema: 'public', table: 'messages', columns: null, where: null },
      { schema: 'public', table: 'rooms', columns: ['id', 'name'], where: '(id > 0)' },
    ]);
    expect(after.catalog.publications!.find((p) => p.name === 'app_audit')).toMatchObject({
      publish: ['insert', 'update'],
      tables: [{ table: 'profiles' }],
    });
  });

  it('a domain whose CHECK calls a project function restores, with its check in force', async () => {
    expect(after.catalog.domains.find((d) => d.name === 'slug')?.checks).toHaveLength(1);
    const err = await query(dst.root, dst.target, `select 'Not A Slug'::public.slug`).catch((e: unknown) => e);
    expect(String(err)).toMatch(/violates check constraint/);
  });

  it('policies and triggers the project added on storage.objects and auth.users come back; the platform ones stay single', () => {
    expect(after.platform).toEqual(before.platform);
    const names = (c: State['platform']) => [
      ...c.policies.map((p) => `policy ${p.table}.${p.name}`),
      ...c.triggers.map((t) => `trigger ${t.table}.${t.name}`),
    ];
    expect(names(after.platform)).toEqual(
      expect.arrayContaining([
        'policy objects.avatars are public',
        'policy objects.users upload their own avatar',
        'trigger objects.objects_count_avatar',
        'trigger users.on_auth_user_created',
        'trigger users.users_webhook',
      ]),
    );
  });

  it('database webhooks restore and fire as before', async () => {
    const hooks = after.catalog.triggers.filter((t) => t.function === 'supabase_functions.http_request').map((t) => t.name);
    expect(hooks).toEqual(['messages_webhook']);
    await query(dst.root, dst.target, `insert into public.messages (room_id, body) values (2, 'after restore')`);
    const rows = await query<{ n: number }>(
      dst.root,
      dst.target,
      `select count(*)::int as n from supabase_functions.hooks where hook_name = 'messages_webhook'`,
    );
    expect(rows[0]!.n).toBeGreaterThanOrEqual(1);
  });

  it('restores again on top of itself with --clean (the platform rows are emptied first, the publication kept)', async () => {
    const again = await restore(b.path, { cwd: dst.root, ...dst.target.options, clean: true });
    expect(again.tables.find((t) => t.table === 'storage.objects')?.rows).toBe(2);
    const now = await state(dst.root, dst.target);
    expect(now.data).toEqual(before.data);
    expect(diffCatalogs(before.catalog, now.catalog)).toEqual([]);
    expect(now.platform).toEqual(before.platform);
  }, 120_000);

  it('a data-only backup loads with --data-only --clean into the migrated target, platform rows emptied and refilled', async () => {
    const data = await backup({ cwd: src.root, ...src.target.options, dataOnly: true, output: 'out/data.keel' });
    expect(data.manifest.tables.filter((t) => t.role === 'platform').map((t) => t.name)).toEqual(['identities', 'buckets', 'objects']);
    const loaded = await restore(data.path, { cwd: dst.root, ...dst.target.options, dataOnly: true, clean: true });
    expect(loaded.schemaApplied).toBe(false);
    expect((await state(dst.root, dst.target)).data).toEqual(before.data);
  }, 120_000);
});

/** The MAINTAIN privilege (PG 17+) and extension versions differ between PGlite and the test server for the same schema. */
function acrossVersions(c: Catalog): Catalog {
  const grants = <T extends { grants: { privilege: string }[] }>(o: T): T => ({
    ...o,
    grants: o.grants.filter((g) => g.privilege !== 'MAINTAIN'),
  });
  return {
    ...c,
    extensions: c.extensions.map((e) => ({ ...e, version: '(server)' })),
    tables: c.tables.map(grants),
    sequences: c.sequences.map(grants),
  };
}

describe.runIf(engineNames.includes('postgres'))('the real-style project across engines', () => {
  const targets: TestTarget[] = [];
  afterAll(async () => {
    for (const t of targets) await t.drop();
  });

  it('a backup taken on PGlite restores on Postgres with the same platform rows, rules and publications', async () => {
    const src = {
      root: makeProject({ 'migrations/20260101000000_app.sql': MIGRATION, 'seed.sql': SEED }).root,
      target: await targetFor('pglite'),
    };
    await reset({ cwd: src.root, ...src.target.options, yes: true });
    const b = await backup({ cwd: src.root, ...src.target.options });
    const dst = { root: makeProject().root, target: await targetFor('postgres') };
    targets.push(dst.target);
    await restore(b.path, { cwd: dst.root, ...dst.target.options });
    const before = await state(src.root, src.target);
    const after = await state(dst.root, dst.target);
    expect(after.data).toEqual(before.data);
    expect(after.platform).toEqual(before.platform);
    expect(diffCatalogs(acrossVersions(before.catalog), acrossVersions(after.catalog))).toEqual([]);
  }, 180_000);
});
