/**
 * Finding a project's pgTAP suites: `supabase/tests/**` files ending in `.sql` or `.pg`, or the paths the user named.
 */
import fs from 'node:fs';
import path from 'node:path';
import { KeelError } from '../../core/errors.js';
import { rel, type Project } from '../../core/project/layout.js';

/** One suite file. */
export interface SuiteFile {
  /** Absolute path. */
  path: string;
  /** Relative to the project root with forward slashes (for messages), or absolute when outside it. */
  file: string;
}

const SUITE_EXT = /\.(sql|pg)$/i;

/** Suite files under `dir`, recursively, skipping dot folders; in code-point order of their relative paths. */
function walk(dir: string): string[] {
  const out: string[] = [];
  const visit = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.name.startsWith('.')) continue;
      const full = path.join(d, e.name);
      if (e.isDirectory()) visit(full);
      else if (e.isFile() && SUITE_EXT.test(e.name)) out.push(full);
    }
  };
  visit(dir);
  return out;
}

function display(project: Pick<Project, 'root'>, file: string): string {
  const r = rel(project, file);
  return r.startsWith('../') ? file : r;
}

/**
 * The suites to run: every `.sql`/`.pg` file under `supabase/tests/` (recursively; `rls.yaml` and other files are not
 * suites), or those named by `paths` (files, or folders searched the same way), resolved against the project root.
 * Sorted by relative path so runs are repeatable; duplicates dropped.
 *
 * @throws KeelError `KEEL_TEST_PATH` when a named path does not exist, `KEEL_NO_TESTS` when nothing is found.
 * @example
 * discoverSuites(openProject('examples/scalemate')) // [{ path: '/…/supabase/tests/001_policies.sql', file: 'supabase/tests/001_policies.sql' }]
 */
export function discoverSuites(project: Pick<Project, 'root' | 'supabaseDir'>, paths: string[] = []): SuiteFile[] {
  const found: string[] = [];
  if (paths.length === 0) {
    const dir = path.join(project.supabaseDir, 'tests');
    if (fs.existsSync(dir)) found.push(...walk(dir));
  }
  for (const p of paths) {
    const full = path.resolve(project.root, p);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(full);
    } catch {
      throw new KeelError('KEEL_TEST_PATH', `no such test file or folder: ${p}`, {
        hint: `paths are relative to the project root (${project.root})`,
      });
    }
    found.push(...(stat.isDirectory() ? walk(full) : [full]));
  }
  const files = [...new Set(found)].map((f) => ({ path: f, file: display(project, f) }));
  files.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  if (files.length === 0) {
    throw new KeelError(
      'KEEL_NO_TESTS',
      paths.length ? `no .sql or .pg test files in ${paths.join(', ')}` : 'no pgTAP test files in supabase/tests/',
      {
        hint: "write pgTAP suites as supabase/tests/*.sql (e.g. `select plan(1); select has_table('public', 'todos', 'todos exists'); select * from finish();`)",
      },
    );
  }
  return files;
}
