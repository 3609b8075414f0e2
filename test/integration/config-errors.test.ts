/**
 * Bad input gets a clear error and loses nothing (#12): supabase/config.toml, keel.toml and rls.yaml mistakes are
 * errors at `file:line:col` (no stack trace) that stop the command before it touches the database; `[db.seed]
 * enabled = false` skips seeding with a note; a seed glob matching nothing is a warning.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { openEngine } from '../../src/index.js';
import { engineNames } from '../support/postgres.js';
import { makeProject, targetFor, type TempProject, type TestTarget } from '../support/projects.js';

const FILES = {
  'migrations/001_create_notes.sql':
    'create table public.notes (id uuid primary key default gen_random_uuid(), body text not null);\ngrant select on public.notes to authenticated;',
  'seed/001_notes.sql': "insert into public.notes (body) values ('hello');",
};

interface Run {
  code: number;
  out: string;
  err: string;
}

async function keel(p: TempProject, target: TestTarget, ...args: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const db = target.url ? ['--db-url', target.url] : [];
  const code = await main([...args, '--cwd', p.root, ...db], { out: (t) => out.push(t), err: (t) => err.push(t), color: false });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** Fails with a clear message: non-zero, the location, no stack trace. */
function expectClearError(r: Run, ...locations: string[]) {
  const text = `${r.out}\n${r.err}`;
  expect(r.code, text).not.toBe(0);
  for (const l of locations) expect(text).toContain(l);
  expect(text).not.toMatch(/\n {4}at /);
  expect(text).not.toContain('internal error');
}

async function state(p: TempProject, target: TestTarget): Promise<{ tables: string[]; notes: number }> {
  const engine = await openEngine(
    target.url ? { kind: 'postgres', url: target.url } : { kind: 'pglite', dataDir: `${p.root}/supabase/.keel/pglite` },
  );
  try {
    const tables = (
      await engine.query<{ t: string }>(`select tablename::text as t from pg_tables where schemaname = 'public' order by 1`)
    ).rows.map((r) => r.t);
    const notes = tables.includes('notes')
      ? Number((await engine.query<{ n: string }>('select count(*) as n from public.notes')).rows[0]!.n)
      : -1;
    return { tables, notes };
  } finally {
    await engine.close();
  }
}

describe.each(engineNames)('config errors on %s', (engineName) => {
  let target: TestTarget;
  let p: TempProject;
  beforeAll(async () => {
    target = await targetFor(engineName);
    p = makeProject(FILES);
    const r = await keel(p, target, 'db', 'reset', '--yes');
    expect(r.code, r.err).toBe(0);
    // A change the failing resets below would apply if they ran.
    p.write('migrations/002_create_extra.sql', 'create table public.extra (id int primary key);');
  }, 60_000);
  afterAll(async () => target?.drop());

  it('a config.toml syntax error, wrong types in config.toml or keel.toml, unknown lint rules: errors at file:line, database untouched', async () => {
    p.write('config.toml', 'project_id = "x"\n[db.seed\nenabled = true\n');
    let r = await keel(p, target, 'db', 'reset', '--yes');
    expectClearError(r, 'supabase/config.toml:2:9', 'is not valid TOML');
    r = await keel(p, target, 'db', 'reset', '--yes', '--json');
    expectClearError(r);
    expect(JSON.parse(r.out)).toMatchObject({
      ok: false,
      error: { code: 'KEEL_CONFIG', location: { file: 'supabase/config.toml', line: 2, column: 9 } },
    });

    // bytes that are not UTF-8 (TOML must be UTF-8): refused at their line, not read as U+FFFD
    fs.writeFileSync(
      path.join(p.root, 'supabase', 'config.toml'),
      Buffer.concat([Buffer.from('project_id = "x"\nname = "'), Buffer.from([0xc0, 0xaf]), Buffer.from('"\n')]),
    );
    r = await keel(p, target, 'db', 'reset', '--yes');
    expectClearError(r, 'supabase/config.toml:2:9', 'is not valid UTF-8');

    p.write('config.toml', '[api]\nschemas = "public"\n\n[db.seed]\nenabled = "yes"\nsql_paths = "./seed.sql"\n');
    r = await keel(p, target, 'db', 'reset', '--yes');
    expectClearError(
      r,
      'supabase/config.toml:2:1: [api] schemas must be an array',
      'supabase/config.toml:5:1: [db.seed] enabled must be true or false',
      'supabase/config.toml:6:1: [db.seed] sql_paths must be an array',
    );
    p.remove('config.toml');

    p.write('keel.toml', '[migrations]\nstyle = "timestamp"\n\n[seeds]\npaths = ["seed.sql"]\n[types]\non_migrate = "yes"\n');
    r = await keel(p, target, 'db', 'reset', '--yes');
    expectClearError(
      r,
      'supabase/keel.toml:4:1: unknown key "seeds"; did you mean seed?',
      'supabase/keel.toml:7:1: types.on_migrate must be true or false',
    );

    p.write(
      'keel.toml',
      '[lint.rules]\nno_primary_kye = "off"\n\n[[lint.ignore]]\nrule = "duplicate_index"\nreason = "kept"\n[[lint.ignore]]\nrule = "unindexed_foreign_key"\nreason = "small"\n',
    );
    r = await keel(p, target, 'lint');
    expectClearError(
      r,
      'supabase/keel.toml:2:1: [lint.rules] no_primary_kye: no such rule; did you mean no_primary_key?',
      'supabase/keel.toml:8:8: [[lint.ignore]] rule = "unindexed_foreign_key": no such rule; did you mean unindexed_foreign_keys?',
    );
    p.remove('keel.toml');

    expect(await state(p, target)).toEqual({ tables: ['notes'], notes: 1 }); // 002 never ran; the seeded row is still there
  }, 60_000);

  it('[db.seed] enabled = false: reset builds everything but seeds nothing, and says so (text and --json)', async () => {
    p.write('config.toml', '[db]\nport = 54322\n\n[db.seed]\nenabled = false\nsql_paths = ["./seed/*.sql"]\n');
    const r = await keel(p, target, 'db', 'reset', '--yes');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('note: seeds skipped: [db.seed] enabled = false in supabase/config.toml:5:1');
    expect(await state(p, target)).toEqual({ tables: ['extra', 'notes'], notes: 0 });
    const s = await keel(p, target, 'db', 'seed', '--json');
    expect(s.code, s.out).toBe(0);
    expect(JSON.parse(s.out)).toMatchObject({ ok: true, seeds: [], seedsSkipped: expect.stringContaining('supabase/config.toml:5:1') });
  }, 60_000);

  it('a sql_paths entry matching no file: a warning at its line (text and --json), the others still seed', async () => {
    p.write('config.toml', '[db.seed]\nenabled = true\nsql_paths = [\n  "./seed/*.sql",\n  "./seeds/*.sql",\n]\n');
    const r = await keel(p, target, 'db', 'reset', '--yes', '--json');
    expect(r.code, r.out).toBe(0);
    const doc = JSON.parse(r.out) as { warnings: string[]; seeds: { file: string; status: string }[]; seedsSkipped?: string };
    expect(doc.warnings).toContain(
      'supabase/config.toml:5:3: no files matched pattern: seeds/*.sql ([db.seed] sql_paths, relative to supabase/); nothing seeded from it',
    );
    expect(doc.seeds.map((s) => [s.file, s.status])).toEqual([['supabase/seed/001_notes.sql', 'applied']]);
    expect(doc.seedsSkipped).toBeUndefined();
    const s = await keel(p, target, 'db', 'seed');
    expect(s.code).toBe(0);
    expect(s.out).toContain('warning: supabase/config.toml:5:3: no files matched pattern: seeds/*.sql');
    expect(await state(p, target)).toEqual({ tables: ['extra', 'notes'], notes: 1 });
    p.remove('config.toml');
  }, 60_000);

  it('rls.yaml: unknown table, unknown column and a bad sample value at their lines, checked before any cell; YAML syntax at line:col', async () => {
    p.write(
      'tests/rls.yaml',
      [
        'personas:',
        '  reader: { role: authenticated, sub: 00000000-0000-0000-0000-000000000001 }',
        'tables:',
        '  public.note:',
        '    select: { reader: none }',
        '  public.notes:',
        '    select: { reader: all }',
        '    insert:',
        '      row: { bdy: hi }',
        '      reader: deny',
        '    delete:',
        '      where: { id: not-a-uuid }',
        '      reader: deny',
        '',
      ].join('\n'),
    );
    let r = await keel(p, target, 'test', 'rls', '--yes', '--no-probe');
    expectClearError(
      r,
      'supabase/tests/rls.yaml:4:3: table public.note does not exist',
      'did you mean public.notes',
      'supabase/tests/rls.yaml:9:14: public.notes has no column "bdy"; did you mean body?',
      'supabase/tests/rls.yaml:12:16: public.notes.id is uuid: "not-a-uuid" is not a valid value',
    );
    p.write('tests/rls.yaml', 'personas:\n  reader: { role: authenticated\ntables: {}\n');
    r = await keel(p, target, 'test', 'rls', '--yes', '--no-probe');
    expectClearError(r, 'supabase/tests/rls.yaml:3:1');
    p.remove('tests/rls.yaml');
  }, 60_000);
});
