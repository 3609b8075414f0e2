import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KeelError } from '../../src/core/errors.js';
import { openProject } from '../../src/core/project/layout.js';
import { diskSplitCache, type SplitCache } from '../../src/core/sql/split-cache.js';
import { diskFactsCache } from '../../src/features/migrate/file-facts.js';
import { extensionsUsed, loadProjectFiles } from '../../src/features/migrate/load.js';

const roots: string[] = [];
afterAll(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));

function project(files: Record<string, string>) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-facts-'));
  roots.push(root);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, 'supabase', rel)), { recursive: true });
    fs.writeFileSync(path.join(root, 'supabase', rel), text);
  }
  return { root, write: (rel: string, text: string) => fs.writeFileSync(path.join(root, 'supabase', rel), text) };
}

/** The disk split cache, counting which files' statements were read from it or written to it. */
function countingCache(dir: string): SplitCache & { read: string[] } {
  const inner = diskSplitCache(dir);
  const read: string[] = [];
  return {
    read,
    get: (sha) => (read.push(sha), inner.get(sha)),
    has: (sha) => inner.has(sha),
    set: (sha, s) => inner.set(sha, s),
  };
}

const FILES = {
  'migrations/001_a.sql': 'create extension if not exists citext;\ncreate table public.a (id int);',
  'migrations/002_b.sql': 'create table public.b (id int);',
  'policies/a_rls.sql': 'alter table public.a enable row level security;',
  'policies/z_helpers.sql': 'create function public.f() returns int language sql as $$ select 1 $$;',
};

describe('loadProjectFiles', () => {
  it('parses only the files it has no facts for, and keeps what the commands need of the others', async () => {
    const p = project(FILES);
    const cacheDir = path.join(p.root, 'cache');
    const first = countingCache(cacheDir);
    const facts = path.join(p.root, 'facts');
    const loaded = await loadProjectFiles(openProject(p.root), { cache: first, facts: diskFactsCache(p.root, facts) });
    expect(first.read).toHaveLength(4);
    expect(extensionsUsed(loaded)).toEqual(['citext']);
    expect(loaded.policies.map((f) => f.file.file)).toEqual(['supabase/policies/z_helpers.sql', 'supabase/policies/a_rls.sql']);
    expect(loaded.policies[1]!.facts.targets).toEqual({ tables: [['public', 'a']], functions: [] });

    p.write('migrations/003_c.sql', 'create table public.c (id int);');
    const second = countingCache(cacheDir);
    const again = await loadProjectFiles(openProject(p.root), { cache: second, facts: diskFactsCache(p.root, facts) });
    expect(second.read).toEqual([again.migrations[2]!.file.sha256]);
    expect(again.migrations.map((m) => m.facts.statements)).toEqual([2, 1, 1]);
    expect(extensionsUsed(again)).toEqual(['citext']);
    // A known file is parsed when it is to run, to the same statements a full load gives.
    const prepared = await again.migrations[0]!.prepare();
    expect(prepared.statements.map((s) => s.kind)).toEqual(['CreateExtensionStmt', 'CreateStmt']);
  });

  it('still stops on a syntax error in a new or edited file, at file:line:col', async () => {
    const p = project(FILES);
    const facts = path.join(p.root, 'facts');
    await loadProjectFiles(openProject(p.root), { facts: diskFactsCache(p.root, facts) });
    p.write('migrations/002_b.sql', 'create table public.b (id int;');
    const err = await loadProjectFiles(openProject(p.root), { facts: diskFactsCache(p.root, facts) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeelError);
    expect((err as KeelError).code).toBe('KEEL_SQL_SYNTAX');
    expect((err as KeelError).location).toMatchObject({ file: 'supabase/migrations/002_b.sql', line: 1 });
  });
});

describe('diskFactsCache', () => {
  it('answers only for the same kind, path and sha256, and keeps the kinds a load did not look at', () => {
    const root = project({}).root;
    const dir = path.join(root, 'facts');
    const file = { file: 'supabase/policies/a.sql', path: '/x', text: '', sha256: 'aa' };
    const facts = { statements: 1, extensions: [], definesFunction: false, targets: null, warnings: [] };
    const one = diskFactsCache(root, dir);
    one.set('policy', file, facts);
    one.set('migration', { ...file, file: 'supabase/migrations/001_a.sql' }, facts);
    one.save();
    const two = diskFactsCache(root, dir);
    expect(two.get('policy', file)).toEqual(facts);
    expect(two.get('seed', file)).toBeUndefined();
    expect(two.get('policy', { ...file, sha256: 'bb' })).toBeUndefined();
    two.save(); // looked at policies and seeds only: the migration's facts stay
    expect(diskFactsCache(root, dir).get('migration', { ...file, file: 'supabase/migrations/001_a.sql' })).toEqual(facts);
  });

  it('treats a damaged file as empty', () => {
    const root = project({}).root;
    const dir = path.join(root, 'facts');
    fs.mkdirSync(dir);
    const c = diskFactsCache(root, dir);
    c.set(
      'seed',
      { file: 'supabase/seed.sql', path: '/x', text: '', sha256: 'aa' },
      { statements: 0, extensions: [], definesFunction: false, targets: null, warnings: [] },
    );
    c.save();
    for (const f of fs.readdirSync(dir)) fs.writeFileSync(path.join(dir, f), '{"supabase');
    expect(diskFactsCache(root, dir).get('seed', { file: 'supabase/seed.sql', path: '/x', text: '', sha256: 'aa' })).toBeUndefined();
  });
});
