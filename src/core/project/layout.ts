import fs from 'node:fs';
import path from 'node:path';
import { KeelError } from '../errors.js';
import { loadConfig, type KeelConfig } from './config.js';
import { readSupabaseConfig, type SupabaseConfig } from './supabase-config.js';

/** The seed-000 layout under `supabase/`. */
export interface Project {
  /** The folder holding `supabase/`. */
  root: string;
  supabaseDir: string;
  migrationsDir: string;
  policiesDir: string;
  rolesDir: string;
  seedDir: string;
  typesDir: string;
  backupsDir: string;
  /** The embedded database: `supabase/.keel/pglite`. */
  dataDir: string;
  /** The project's own PostgreSQL server's data dir (`[db] engine = "local-server"`): `supabase/.keel/postgres`. */
  serverDir: string;
  config: KeelConfig;
  /** What Keel reads of the Supabase CLI's supabase/config.toml (read once, here). */
  supabase: SupabaseConfig;
}

export const LAYOUT_FOLDERS = ['migrations', 'policies', 'roles', 'seed', 'types', 'backups'] as const;

/** Paths of a project rooted at `root`, whether or not they exist yet. */
export function projectPaths(root: string): Omit<Project, 'config' | 'supabase'> {
  const supabaseDir = path.join(root, 'supabase');
  return {
    root,
    supabaseDir,
    migrationsDir: path.join(supabaseDir, 'migrations'),
    policiesDir: path.join(supabaseDir, 'policies'),
    rolesDir: path.join(supabaseDir, 'roles'),
    seedDir: path.join(supabaseDir, 'seed'),
    typesDir: path.join(supabaseDir, 'types'),
    backupsDir: path.join(supabaseDir, 'backups'),
    dataDir: path.join(supabaseDir, '.keel', 'pglite'),
    serverDir: path.join(supabaseDir, '.keel', 'postgres'),
  };
}

/**
 * Opens the project at `cwd` (the folder holding `supabase/`), reading its config: supabase/config.toml once, then
 * keel.toml; a syntax error or a bad value in either is a KeelError naming `file:line:col`, before anything connects.
 *
 * @example
 * const project = openProject('examples/scalemate');
 */
export function openProject(cwd: string): Project {
  const root = path.resolve(cwd);
  const paths = projectPaths(root);
  if (!fs.existsSync(paths.supabaseDir) || !fs.statSync(paths.supabaseDir).isDirectory()) {
    throw new KeelError('KEEL_NO_PROJECT', `no supabase/ folder in ${root}`, {
      hint: 'run keel from the folder that holds supabase/, pass --cwd <dir>, or create one with `keel init`',
    });
  }
  const supabase = readSupabaseConfig(paths.supabaseDir);
  return { ...paths, supabase, config: loadConfig(paths.supabaseDir, supabase) };
}

/** A path relative to the project root, with forward slashes, for messages. */
export function rel(project: Pick<Project, 'root'>, file: string): string {
  return path.relative(project.root, file).split(path.sep).join('/');
}
