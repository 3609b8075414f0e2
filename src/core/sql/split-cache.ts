import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { cacheDir } from '../cache-dir.js';
import type { Statement } from './split.js';
import { replaceFile } from '../fs.js';

/** Statements of files already split, by the sha256 of their bytes. */
export interface SplitCache {
  get(sha256: string): Statement[] | undefined;
  /** Is there an entry (without reading it)? */
  has(sha256: string): boolean;
  set(sha256: string, statements: Statement[]): void;
}

const FORMAT = 1;

/** The installed libpg-query's version: parse trees differ between versions. */
export function parserVersion(): string {
  try {
    const require = createRequire(import.meta.url);
    const main = require.resolve('libpg-query');
    let dir = path.dirname(main);
    while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
    return (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/**
 * A cache of split files in the user cache dir, so a command whose files are unchanged never loads the parser's WASM
 * (about 0.1 s of a CLI run). Keyed by content and parser version; unreadable or half-written entries count as misses.
 *
 * @example
 * const cache = diskSplitCache();
 * const statements = cache.get(file.sha256) ?? splitSql(file.text, file.file);
 */
export function diskSplitCache(dir = path.join(cacheDir(), `sql-${FORMAT}-${parserVersion()}`)): SplitCache {
  return {
    get(sha256) {
      try {
        return JSON.parse(fs.readFileSync(path.join(dir, `${sha256}.json`), 'utf8')) as Statement[];
      } catch {
        return undefined;
      }
    },
    has(sha256) {
      return fs.existsSync(path.join(dir, `${sha256}.json`));
    },
    set(sha256, statements) {
      try {
        replaceFile(path.join(dir, `${sha256}.json`), JSON.stringify(statements));
      } catch {
        /* a read-only cache only costs speed */
      }
    },
  };
}
