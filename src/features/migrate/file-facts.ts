import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { cacheDir } from '../../core/cache-dir.js';
import { replaceFile } from '../../core/fs.js';
import type { SqlFile } from '../../core/project/files.js';
import { parserVersion } from '../../core/sql/split-cache.js';
import { KEEL_VERSION } from '../../version.js';
import { declarativeTargets, type DeclarativeTargets } from './declarative-state.js';
import type { PreparedFile } from './run-file.js';

/**
 * What the commands need to know about a file that is not going to run: a migration already applied, a roles/ or
 * policies/ file left unchanged. Small enough that a project of thousands of files reads them all in one file, where
 * the parse trees they come from are tens of megabytes.
 */
export interface FileFacts {
  statements: number;
  /** `create extension` names (PGlite registers them when it opens). */
  extensions: string[];
  /** It creates a function (policies/ files that do run first). */
  definesFunction: boolean;
  /** What a roles/ or policies/ file sets, when Keel can check it in the catalog (see declarativeTargets). */
  targets: DeclarativeTargets | null;
  /** Its warnings from {@link prepareFile} (they name the file). */
  warnings: string[];
}

/** Which folder a file was read as: a migration's empty file warns, a policy's does not. */
export type FileKind = 'migration' | 'role' | 'policy' | 'seed';

/**
 * The facts of a file prepared without error: a file with facts is one {@link prepareFile} accepts, so a command that
 * finds them can leave it unparsed and still know it would not refuse it.
 */
export function factsOf(p: PreparedFile): FileFacts {
  const extensions = new Set<string>();
  for (const s of p.statements) {
    if (s.kind === 'CreateExtensionStmt' && typeof s.ast.extname === 'string') extensions.add(s.ast.extname);
  }
  return {
    statements: p.statements.length,
    extensions: [...extensions].sort(),
    definesFunction: p.statements.some((s) => s.kind === 'CreateFunctionStmt'),
    targets: declarativeTargets(p.statements) ?? null,
    warnings: p.warnings,
  };
}

/** Facts by file, valid while the file's path, kind and sha256 are the ones they were taken from. */
export interface FactsCache {
  get(kind: FileKind, file: SqlFile): FileFacts | undefined;
  set(kind: FileKind, file: SqlFile, facts: FileFacts): void;
  /** Writes what changed (once, after a load); of the kinds looked at, files no longer seen are dropped. */
  save(): void;
}

const FORMAT = 1;

/**
 * One JSON file per project in the user cache dir, keyed by Keel's and the parser's versions (facts are what this
 * Keel makes of the parse tree). A missing, unreadable or half-written file is an empty cache: it costs a parse.
 *
 * @example
 * const facts = diskFactsCache(project.root);
 * facts.get('migration', file) ?? factsOf(prepareFile(file));
 */
export function diskFactsCache(
  root: string,
  dir = path.join(cacheDir(), `facts-${FORMAT}-${KEEL_VERSION}-${parserVersion()}`),
): FactsCache {
  const file = path.join(dir, `${crypto.createHash('sha256').update(path.resolve(root)).digest('hex').slice(0, 32)}.json`);
  let stored: Record<string, { sha256: string; facts: FileFacts }> = {};
  try {
    stored = JSON.parse(fs.readFileSync(file, 'utf8')) as typeof stored;
  } catch {
    stored = {};
  }
  const seen: typeof stored = {};
  const kinds = new Set<string>();
  let changed = false;
  const key = (kind: FileKind, f: SqlFile) => `${kind}:${f.file}`;
  return {
    get(kind, f) {
      kinds.add(kind);
      const entry = stored[key(kind, f)];
      if (!entry || entry.sha256 !== f.sha256) return undefined;
      seen[key(kind, f)] = entry;
      return entry.facts;
    },
    set(kind, f, facts) {
      kinds.add(kind);
      const k = key(kind, f);
      if (stored[k]?.sha256 === f.sha256)
        seen[k] = stored[k]; // the same file: the same facts
      else {
        seen[k] = { sha256: f.sha256, facts };
        changed = true;
      }
    },
    save() {
      const kept = Object.entries(stored).filter(([k]) => !kinds.has(k.slice(0, k.indexOf(':'))));
      if (!changed && kept.length + Object.keys(seen).length === Object.keys(stored).length) return;
      try {
        replaceFile(file, JSON.stringify({ ...Object.fromEntries(kept), ...seen }));
      } catch {
        /* a read-only cache only costs speed */
      }
    },
  };
}

/** A cache that keeps nothing (tests, and callers that must parse everything anyway). */
export function noFactsCache(): FactsCache {
  return { get: () => undefined, set: () => undefined, save: () => undefined };
}
