import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { genTypes, migrate, reset } from '../../src/index.js';
import { engineNames } from '../support/postgres.js';
import { makeProject, targetFor, type TestTarget } from '../support/projects.js';
import { runCli } from '../support/cli.js';

const FILES = {
  'migrations/001_create_tasks.sql': `do $$ begin create type public.task_status as enum ('todo', 'done'); exception when duplicate_object then null; end $$;
create table public.tasks (id bigint generated always as identity primary key, title varchar(80) not null, status public.task_status not null default 'todo',
  words int generated always as (length(title)) stored, due_at timestamptz);`,
};

describe.each(engineNames)('keel gen types on %s', (engineName) => {
  let target: TestTarget;
  afterEach(async () => {
    await target?.drop();
  });

  it('writes the three files, reports them unchanged on a second run, and --check finds them stale after a migration', async () => {
    target = await targetFor(engineName);
    const p = makeProject(FILES);
    await reset({ cwd: p.root, ...target.options, yes: true });
    const first = await genTypes({ cwd: p.root, ...target.options });
    expect(first.files.map((f) => [f.file, f.changed])).toEqual([
      ['supabase/types/database.types.ts', true],
      ['supabase/types/models.ts', true],
      ['supabase/types/validation.ts', true],
    ]);
    const db = fs.readFileSync(path.join(p.root, 'supabase/types/database.types.ts'), 'utf8');
    expect(db).toContain('task_status: "todo" | "done"');
    expect(db).toMatch(/words\?: never/);
    const second = await genTypes({ cwd: p.root, ...target.options });
    expect(second.files.every((f) => !f.changed)).toBe(true);
    p.write('migrations/002_add_tasks_notes.sql', 'alter table public.tasks add column notes text;');
    await migrate({ cwd: p.root, ...target.options });
    const check = await genTypes({ cwd: p.root, ...target.options, check: true });
    expect(check.stale).toEqual(['supabase/types/database.types.ts', 'supabase/types/models.ts', 'supabase/types/validation.ts']);
    expect(fs.readFileSync(path.join(p.root, 'supabase/types/database.types.ts'), 'utf8')).toBe(db); // check wrote nothing
  });

  it('regenerates on migrate when keel.toml asks ([types] on_migrate = true)', async () => {
    target = await targetFor(engineName);
    const p = makeProject({ ...FILES, 'keel.toml': '[types]\non_migrate = true\noutput = "src/types"\n' });
    const r = await migrate({ cwd: p.root, ...target.options });
    expect(r.types?.map((f) => f.file)).toEqual(['src/types/database.types.ts', 'src/types/models.ts', 'src/types/validation.ts']);
    expect(fs.existsSync(path.join(p.root, 'src/types/validation.ts'))).toBe(true);
  });
});

describe('keel gen types CLI', () => {
  it('--check exits 1 on stale files and 0 when fresh; - prints to stdout', async () => {
    const p = makeProject(FILES);
    expect((await runCli(['db', 'reset', '--cwd', p.root])).code).toBe(0);
    const stale = await runCli(['gen', 'types', '--check', '--cwd', p.root]);
    expect(stale.code).toBe(1);
    expect(stale.stdout).toContain('stale: supabase/types/database.types.ts');
    expect((await runCli(['gen', 'types', '--cwd', p.root])).code).toBe(0);
    expect((await runCli(['gen', 'types', '--check', '--cwd', p.root])).code).toBe(0);
    const out = await runCli(['gen', 'types', '--output', '-', '--cwd', p.root]);
    expect(out.stdout).toContain('export type Database = {');
  });
});
