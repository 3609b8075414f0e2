import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KeelError } from '../../src/core/errors.js';
import { listMigrations, listSeedFiles } from '../../src/core/project/files.js';
import { openProject } from '../../src/core/project/layout.js';

const roots: string[] = [];
afterAll(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));

function project(files: Record<string, string>) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-files-'));
  roots.push(root);
  fs.mkdirSync(path.join(root, 'supabase/migrations'), { recursive: true });
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, 'supabase', rel)), { recursive: true });
    fs.writeFileSync(path.join(root, 'supabase', rel), text);
  }
  return openProject(root);
}

describe('listMigrations', () => {
  it('orders files as the Supabase CLI does (names as text) and reads sha256', () => {
    const { migrations } = listMigrations(project({ 'migrations/10_c.sql': 'c', 'migrations/9_b.sql': 'b', 'migrations/0001_a.sql': 'a' }));
    expect(migrations.map((m) => m.version)).toEqual(['0001', '10', '9']);
    expect(migrations[0]!.sha256).toBe('ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb');
  });

  it('orders numerically with [migrations] order = "numeric"', () => {
    const p = project({
      'keel.toml': '[migrations]\norder = "numeric"\n',
      'migrations/10_c.sql': 'c',
      'migrations/9_b.sql': 'b',
      'migrations/0001_a.sql': 'a',
    });
    expect(listMigrations(p).migrations.map((m) => m.version)).toEqual(['0001', '9', '10']);
  });

  it('refuses two files with one version, naming both (in numeric order, 001 and 1 are one version)', () => {
    const text = project({ 'migrations/001_a.sql': 'a', 'migrations/001_b.sql': 'b' });
    let err: KeelError | undefined;
    try {
      listMigrations(text);
    } catch (e) {
      err = e as KeelError;
    }
    expect(err?.code).toBe('KEEL_MIGRATION_NAMES');
    expect(err?.problems).toEqual([
      'supabase/migrations/001_b.sql has the same version as supabase/migrations/001_a.sql; give each file its own version [migration-version-duplicate]',
    ]);
    // text order: versions match as written, as in the CLI's history
    expect(listMigrations(project({ 'migrations/001_a.sql': 'a', 'migrations/1_b.sql': 'b' })).migrations.map((m) => m.version)).toEqual([
      '001',
      '1',
    ]);
    const numeric = project({ 'keel.toml': '[migrations]\norder = "numeric"\n', 'migrations/001_a.sql': 'a', 'migrations/1_b.sql': 'b' });
    expect(() => listMigrations(numeric)).toThrow('1 file in supabase/migrations has the version of another file');
  });

  it('skips what the Supabase CLI skips, with one warning naming each file; lint still sees each', () => {
    const p = project({
      'migrations/001_a.sql': 'a',
      'migrations/local_20240101000000_x.sql': 'x',
      'migrations/april_8_changes.sql': 'x',
      'migrations/seed.sql': 'x',
      'migrations/atlas.sum': 'h1:…',
      'migrations/README.md': '# notes',
      'migrations/002_B.SQL': 'x',
      'migrations/old/003_c.sql': 'x',
      'migrations/.gitkeep': '',
    });
    const { migrations, problems, warnings } = listMigrations(p);
    expect(migrations.map((m) => m.file)).toEqual(['supabase/migrations/001_a.sql']);
    const skipped = problems.filter((p) => p.skipped).map((p) => [p.file.replace('supabase/migrations/', ''), p.level, p.rule]);
    expect(skipped).toEqual([
      ['002_B.SQL', 'warning', 'migration-file-type'],
      ['README.md', 'warning', 'migration-file-type'],
      ['april_8_changes.sql', 'warning', 'migration-name-version'],
      ['atlas.sum', 'warning', 'migration-file-type'],
      ['local_20240101000000_x.sql', 'warning', 'migration-name-version'],
      ['old', 'warning', 'migration-file-type'],
      ['seed.sql', 'warning', 'migration-name-version'],
    ]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^skipped 7 files in supabase\/migrations that the Supabase CLI skips too: /);
    for (const name of [
      '002_B.SQL',
      'README.md',
      'april_8_changes.sql',
      'atlas.sum',
      'local_20240101000000_x.sql',
      'old is a folder',
      'seed.sql',
    ]) {
      expect(warnings[0]).toContain(`supabase/migrations/${name}`);
    }
  });

  it("skips the CLI's legacy first <timestamp>_init.sql (before 2021-12-09), as the CLI does", () => {
    const { migrations, problems } = listMigrations(
      project({ 'migrations/20211001000000_init.sql': 'x', 'migrations/20211002000000_next.sql': 'y' }),
    );
    expect(migrations.map((m) => m.version)).toEqual(['20211002000000']);
    expect(problems.map((p) => p.rule)).toEqual(['migration-legacy-init']);
    expect(listMigrations(project({ 'migrations/20220101000000_init.sql': 'x' })).migrations).toHaveLength(1);
  });

  it('warns once about mixed widths, naming the odd files and what the other order would do', () => {
    const { migrations, problems, warnings } = listMigrations(
      project({ 'migrations/20240501120000_a.sql': 'a', 'migrations/202405011230_b.sql': 'b', 'migrations/20240502000000_c.sql': 'c' }),
    );
    expect(migrations.map((m) => m.version)).toEqual(['20240501120000', '202405011230', '20240502000000']);
    expect(problems.map((p) => [p.file, p.rule])).toEqual([['supabase/migrations/202405011230_b.sql', 'migration-version-width']]);
    expect(warnings).toEqual([
      'migration versions have different widths (12, 14 digits; not 14: 202405011230_b.sql): they run in text order, as the Supabase CLI applies them (`[migrations] order = "numeric"` in keel.toml compares them as numbers; only for a project no database was built from in the CLI\'s order); numeric order would run 202405011230_b.sql before 20240501120000_a.sql [migration-version-width]',
    ]);
    expect(listMigrations(project({ 'migrations/001_a.sql': 'a', 'migrations/002_b.sql': 'b' })).warnings).toEqual([]);
  });
});

describe('listSeedFiles', () => {
  it('runs seed/*.sql in name order, then the Supabase CLI default supabase/seed.sql', () => {
    const p = project({ 'seed/002_b.sql': 'b', 'seed/001_a.sql': 'a', 'seed.sql': 's', 'seed/notes.txt': 'n' });
    expect(listSeedFiles(p).map((f) => f.file)).toEqual(['supabase/seed/001_a.sql', 'supabase/seed/002_b.sql', 'supabase/seed.sql']);
  });
});
