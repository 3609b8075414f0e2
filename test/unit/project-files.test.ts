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
  it('orders numerically and reads sha256', () => {
    const { migrations } = listMigrations(project({ 'migrations/10_c.sql': 'c', 'migrations/9_b.sql': 'b', 'migrations/0001_a.sql': 'a' }));
    expect(migrations.map((m) => m.version)).toEqual(['0001', '9', '10']);
    expect(migrations[0]!.sha256).toBe('ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb');
  });

  it('refuses duplicate versions and files without a version, naming file and rule', () => {
    const p = project({ 'migrations/001_a.sql': 'a', 'migrations/1_b.sql': 'b', 'migrations/april_8_changes.sql': 'x', 'migrations/README.md': 'ok' });
    let err: KeelError | undefined;
    try {
      listMigrations(p);
    } catch (e) {
      err = e as KeelError;
    }
    expect(err?.code).toBe('KEEL_MIGRATION_NAMES');
    expect(err?.problems).toEqual([
      'supabase/migrations/1_b.sql has the same version as supabase/migrations/001_a.sql; give each file its own version [migration-version-duplicate]',
      'supabase/migrations/april_8_changes.sql has no version number; name it like 001_create_users.sql or 20250101120000_create_users.sql [migration-name-version]',
    ]);
  });

  it('warns when sequential versions have different widths (the Supabase CLI sorts them as text)', () => {
    const { problems } = listMigrations(project({ 'migrations/9_a.sql': 'a', 'migrations/10_b.sql': 'b' }));
    expect(problems.map((p) => [p.file, p.rule])).toEqual([['supabase/migrations/9_a.sql', 'migration-version-width']]);
  });
});

describe('listSeedFiles', () => {
  it('runs seed/*.sql in name order, then the Supabase CLI default supabase/seed.sql', () => {
    const p = project({ 'seed/002_b.sql': 'b', 'seed/001_a.sql': 'a', 'seed.sql': 's', 'seed/notes.txt': 'n' });
    expect(listSeedFiles(p).map((f) => f.file)).toEqual(['supabase/seed/001_a.sql', 'supabase/seed/002_b.sql', 'supabase/seed.sql']);
  });
});
