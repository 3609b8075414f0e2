/**
 * Temporary Keel projects and per-engine targets for integration tests.
 *
 * @example
 * const project = makeProject({ 'migrations/001_a.sql': 'create table a (id int);' });
 * const target = await targetFor('postgres');
 * await migrate({ cwd: project.root, ...target.options });
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Target } from '../../src/db/engine.js';
import { createTestDatabase } from './postgres.js';

export interface TempProject {
  root: string;
  write(rel: string, text: string): void;
  remove(rel: string): void;
}

const made: string[] = [];

/** Removes the projects made so far: after each test file (test/support/setup-file.ts; files share a process). */
export function removeProjects(): void {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** A project folder with `supabase/<rel>` files. */
export function makeProject(files: Record<string, string> = {}): TempProject {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-test-'));
  made.push(root);
  const write = (rel: string, text: string) => {
    const file = path.join(root, 'supabase', rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  };
  fs.mkdirSync(path.join(root, 'supabase', 'migrations'), { recursive: true });
  for (const [rel, text] of Object.entries(files)) write(rel, text);
  return { root, write, remove: (rel) => fs.rmSync(path.join(root, 'supabase', rel), { force: true }) };
}

/** Where a project's database is on a target: its own PGlite data dir, or the target's server database. */
export function databaseOf(root: string, target: TestTarget): Target {
  return target.url ? { kind: 'postgres', url: target.url } : { kind: 'pglite', dataDir: path.join(root, 'supabase/.keel/pglite') };
}

export interface TestTarget {
  /** Options to spread into a command: `{ dbUrl }` for a server, `{}` for the project's embedded database. */
  options: { dbUrl?: string; env: NodeJS.ProcessEnv };
  url?: string;
  drop: () => Promise<void>; // a property: callers pass `target.drop` around unbound
}

/** A fresh database for one engine: the project's own PGlite data dir, or a new database on the test server. */
export async function targetFor(engine: 'pglite' | 'postgres'): Promise<TestTarget> {
  if (engine === 'pglite') return { options: { env: {} }, drop: async () => undefined };
  const db = await createTestDatabase('keel');
  return { options: { dbUrl: db.url, env: {} }, url: db.url, drop: db.drop };
}
