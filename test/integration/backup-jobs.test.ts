/**
 * `--jobs`: a backup copying several tables at once over connections that share one snapshot, and a restore loading
 * them (then their keys and indexes) over several connections, give the same database as one connection would. On
 * PGlite (one session) both run as 1, with a note. A damaged file in a parallel restore changes nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openEngine, reset } from '../../src/index.js';
import { backup, restore } from '../../src/commands/backup.js';
import { diffCatalogs, readCatalog, type Catalog } from '../../src/core/catalog/index.js';
import type { Engine } from '../../src/db/engine.js';
import { userSchemas } from '../../src/features/migrate/reset.js';
import { engineNames } from '../support/postgres.js';
import { makeProject, targetFor, type TestTarget, databaseOf } from '../support/projects.js';

/** Four tables with keys, a unique constraint, foreign keys, an index and a trigger; a few hundred rows each. */
const SCHEMA = `
create table public.teams (id bigint generated always as identity primary key, slug text not null unique);
create table public.members (
  id uuid primary key default gen_random_uuid(),
  team_id bigint not null references public.teams (id),
  email text not null,
  unique (team_id, email)
);
create table public.tasks (
  id bigint generated always as identity primary key,
  team_id bigint not null references public.teams (id),
  owner uuid references public.members (id),
  title text not null,
  meta jsonb not null default '{}'
);
create index tasks_team_idx on public.tasks (team_id, title);
create table public.audit (at timestamptz not null default now(), what text not null);
create function public.log_task() returns trigger language plpgsql as $$
begin insert into public.audit (what) values ('task ' || new.id); return new; end $$;
create trigger tasks_log after insert on public.tasks for each row execute function public.log_task();
`;
const SEED = `
insert into public.teams (slug) select 'team-' || g from generate_series(1, 40) g;
insert into public.members (team_id, email) select 1 + g % 40, 'm' || g || '@example.test' from generate_series(1, 300) g;
insert into public.tasks (team_id, owner, title, meta)
  select 1 + g % 40, (select id from public.members order by email offset g % 300 limit 1), 'task ' || g,
         jsonb_build_object('n', g, 'note', E'tab\\there, newline\\nthere')
    from generate_series(1, 400) g;
`;

async function open(root: string, target: TestTarget): Promise<Engine> {
  return openEngine(databaseOf(root, target));
}

/** The user schemas' catalog and a hash of every table's rows (audit included: the trigger must not fire twice). */
async function fingerprint(root: string, target: TestTarget): Promise<{ catalog: Catalog; data: Record<string, string> }> {
  const engine = await open(root, target);
  try {
    const catalog = await readCatalog(engine, { schemas: await userSchemas(engine) });
    const data: Record<string, string> = {};
    for (const t of catalog.tables) {
      const { rows } = await engine.query<{ n: number; h: string | null }>(
        `select count(*)::int as n, md5(string_agg(t::text, '|' order by t::text)) as h from "${t.schema}"."${t.name}" t`,
      );
      data[`${t.schema}.${t.name}`] = `${rows[0]!.n}:${rows[0]!.h}`;
    }
    return { catalog, data };
  } finally {
    await engine.close();
  }
}

describe.each(engineNames)('backup and restore --jobs 2 on %s', (engineName) => {
  const targets: TestTarget[] = [];
  afterEach(async () => {
    for (const t of targets.splice(0)) await t.drop();
  });
  // One source per engine, built once: neither test changes it (the damaged restore must leave it as it was).
  let source: Promise<{ root: string; target: TestTarget }> | undefined;
  afterAll(async () => (await source)?.target.drop());
  const project = () =>
    (source ??= (async () => {
      const p = makeProject({ 'migrations/001_schema.sql': SCHEMA, 'seed.sql': SEED });
      const target = await targetFor(engineName);
      await reset({ cwd: p.root, ...target.options, yes: true });
      return { root: p.root, target };
    })());

  it('a -j 2 backup restored with -j 2 into a fresh database has the same catalog and per-table hashes', async () => {
    const src = await project();
    const b = await backup({ cwd: src.root, ...src.target.options, jobs: 2 });
    if (engineName === 'pglite') expect(b.notes).toEqual([expect.stringMatching(/one session: --jobs 2 ran as --jobs 1/)]);
    else expect(b.notes).toEqual([]);
    const dst = { root: makeProject().root, target: await targetFor(engineName) };
    targets.push(dst.target);
    const r = await restore(b.path, { cwd: dst.root, ...dst.target.options, clean: true, yes: true, jobs: 2 });
    expect(r.schemaApplied).toBe(true);
    expect(r.rows).toBe(b.rows);
    if (engineName === 'pglite') expect(r.notes).toContain('pglite has one session: --jobs 2 ran as --jobs 1');
    const before = await fingerprint(src.root, src.target);
    const after = await fingerprint(dst.root, dst.target);
    expect(diffCatalogs(before.catalog, after.catalog)).toEqual([]);
    expect(after.data).toEqual(before.data);
    expect(after.data['public.tasks']).toMatch(/^400:/);
  });

  it('a damaged data file in a -j 2 restore is refused and changes nothing, even with --clean', async () => {
    const src = await project();
    const b = await backup({ cwd: src.root, ...src.target.options, jobs: 2 });
    const tasks = b.manifest.tables.find((t) => t.name === 'tasks')!;
    const file = path.join(b.path, tasks.file);
    const buf = fs.readFileSync(file);
    const at = buf.length >> 1;
    buf[at] = buf[at]! ^ 0x01;
    fs.writeFileSync(file, buf);
    const before = await fingerprint(src.root, src.target);
    const err = await restore(b.path, { cwd: src.root, ...src.target.options, clean: true, yes: true, jobs: 2 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'KeelError', code: 'KEEL_BACKUP_CORRUPT' });
    expect((err as Error).message).toContain(tasks.file);
    const after = await fingerprint(src.root, src.target);
    expect(diffCatalogs(before.catalog, after.catalog)).toEqual([]);
    expect(after.data).toEqual(before.data);
  });
});

it('--jobs must be a whole number from 1 to 64', async () => {
  const p = makeProject();
  for (const jobs of [0, 1.5, 65]) {
    await expect(backup({ cwd: p.root, jobs })).rejects.toMatchObject({ code: 'KEEL_BAD_OPTION' });
  }
});
