/**
 * `keel init`: seed 000's folders, edge-functions/ included, and supabase/backups/ kept in git but its contents
 * ignored (backups hold personal data). Checked with git itself.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { init, INIT_FOLDERS } from '../../src/commands/init.js';
import { LAYOUT_FOLDERS } from '../../src/core/project/layout.js';

const hasGit = (() => {
  try {
    execFileSync('git', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'keel-init-'));
}

describe('keel init', () => {
  it("creates every folder of seed 000's layout, edge-functions/ included, in the seed's order", () => {
    const root = tempDir();
    const r = init({ cwd: root });
    for (const f of LAYOUT_FOLDERS) expect(INIT_FOLDERS).toContain(f);
    expect(r.created.filter((c) => c.startsWith('supabase/') && c.endsWith('/'))).toEqual(INIT_FOLDERS.map((f) => `supabase/${f}/`));
    expect(fs.existsSync(path.join(root, 'supabase/edge-functions/.gitkeep'))).toBe(true);
    expect(r.created).toContain('supabase/backups/.gitignore');
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('adds the backups .gitignore to a backups/ folder made before, and keeps an existing one', () => {
    const root = tempDir();
    fs.mkdirSync(path.join(root, 'supabase/backups'), { recursive: true });
    expect(init({ cwd: root }).created).toContain('supabase/backups/.gitignore');
    fs.writeFileSync(path.join(root, 'supabase/backups/.gitignore'), 'mine\n');
    const again = init({ cwd: root });
    expect(again.created).toEqual([]);
    expect(fs.readFileSync(path.join(root, 'supabase/backups/.gitignore'), 'utf8')).toBe('mine\n');
    fs.rmSync(root, { recursive: true, force: true });
  });

  it.runIf(hasGit)('git keeps supabase/backups/ but ignores the backups in it; the embedded database is ignored too', () => {
    const root = tempDir();
    execFileSync('git', ['init', '-q'], { cwd: root });
    init({ cwd: root });
    const backup = path.join(root, 'supabase/backups/20261201T000000Z_full.keel');
    fs.mkdirSync(path.join(backup, 'data'), { recursive: true });
    fs.writeFileSync(path.join(backup, 'manifest.json'), '{}');
    fs.writeFileSync(path.join(backup, 'data/000_auth.users.copy.gz'), 'x');
    fs.mkdirSync(path.join(root, 'supabase/.keel/pglite'), { recursive: true });
    fs.writeFileSync(path.join(root, 'supabase/.keel/pglite/PG_VERSION'), '17');
    const untracked = execFileSync('git', ['ls-files', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' })
      .trim()
      .split('\n');
    expect(untracked).toContain('supabase/backups/.gitignore');
    expect(untracked).toContain('supabase/edge-functions/.gitkeep');
    expect(untracked.filter((f) => f.includes('_full.keel') || f.includes('.keel/pglite'))).toEqual([]);
    fs.rmSync(root, { recursive: true, force: true });
  });
});
