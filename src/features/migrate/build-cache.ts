import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheDir } from '../../core/cache-dir.js';
import type { Catalog } from '../../core/catalog/index.js';
import { replaceFile } from '../../core/fs.js';
import { shimFingerprint } from '../../db/shim/supabase-shim.js';
import { KEEL_VERSION } from '../../version.js';
import type { ProjectSql } from './load.js';

/** A project built from its files, as a command that builds it to look at it (`keel lint`) last saw it. */
export interface BuiltProject {
  catalog: Catalog;
  /** The engine it was built on (`pglite`, `postgres`). */
  engine: string;
  builtAt: string;
}

/** Results kept by key: built catalogs, lint reports. */
export interface BuildCache<T = BuiltProject> {
  get(key: string): T | undefined;
  set(key: string, value: T): void;
}

const FORMAT = 1;
const SRC = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');
const codeHashes = new Map<string, string>();

/**
 * A hash of the code under these folders of this build of Keel (relative to src/ or dist/, e.g. `core/catalog`):
 * Keel's version alone is not enough for a checkout whose code changes under one version number.
 *
 * @example
 * codeHash('core/catalog'); // '3f9c…'
 */
export function codeHash(...dirs: string[]): string {
  const id = dirs.join('\0');
  const known = codeHashes.get(id);
  if (known) return known;
  const h = createHash('sha256');
  try {
    for (const dir of dirs) {
      const root = path.join(SRC, dir);
      for (const f of (fs.readdirSync(root, { recursive: true }) as string[]).sort()) {
        if (/\.(js|ts)$/.test(f)) h.update(f).update(fs.readFileSync(path.join(root, f)));
      }
    }
  } catch {
    h.update(String(Math.random())); // unreadable: never match
  }
  const out = h.digest('hex');
  codeHashes.set(id, out);
  return out;
}

/**
 * What a build of the project depends on, hashed: the migration, role and policy files in order (names and bytes;
 * seeds are not part of a schema build), the shim, Keel's version and catalog code, and `context` (the engine and its
 * version, the config files' text). Equal keys, equal catalogs.
 *
 * @example
 * const key = projectBuildKey(sql, ['pglite 0.5.16', configText]);
 */
export function projectBuildKey(sql: ProjectSql, context: string[]): string {
  const h = createHash('sha256');
  h.update(`keel-build-${FORMAT}\0${KEEL_VERSION}\0${codeHash('core/catalog')}\0${shimFingerprint()}\0`);
  for (const c of context) h.update(`${c.length}:${c}\0`);
  for (const group of [sql.migrations, sql.roles, sql.policies]) {
    h.update(`${group.length}\0`);
    for (const f of group) h.update(`${f.file.file}\0${f.file.sha256}\0`);
  }
  return h.digest('hex');
}

const KEEP = 32;

/** Keeps the {@link KEEP} newest entries: every edit of a migration makes a new key. */
function prune(dir: string): void {
  const entries = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));
  if (entries.length <= KEEP) return;
  const byAge = entries.map((f) => ({ f, t: fs.statSync(path.join(dir, f)).mtimeMs })).sort((a, b) => b.t - a.t);
  for (const { f } of byAge.slice(KEEP)) fs.rmSync(path.join(dir, f), { force: true });
}

/**
 * Built catalogs in the user cache dir, one small JSON file per key (about 100 KB for the largest example), so a
 * command run again on unchanged files skips the build (and the engine). Unreadable or half-written entries are misses;
 * a read-only cache only costs speed.
 */
export function diskBuildCache<T = BuiltProject>(dir = path.join(cacheDir(), `builds-${FORMAT}`)): BuildCache<T> {
  return {
    get(key) {
      try {
        return JSON.parse(fs.readFileSync(path.join(dir, `${key}.json`), 'utf8')) as T;
      } catch {
        return undefined;
      }
    },
    set(key, value) {
      try {
        replaceFile(path.join(dir, `${key}.json`), JSON.stringify(value));
        prune(dir);
      } catch {
        /* speed only */
      }
    },
  };
}
