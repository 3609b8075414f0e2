import { KeelError } from '../../core/errors.js';
import type { SqlFile } from '../../core/project/files.js';
import { excerpt } from '../../core/sql/position.js';
import type { Statement } from '../../core/sql/split.js';
import type { EngineKind } from '../engine.js';
import { pgliteCanHave } from '../pglite/extensions.js';
import { PLATFORM_EXTENSIONS } from './catalogue.js';

/** A KeelError at the statement's `file:line:col`, with the caret excerpt. */
export function errorAt(
  file: SqlFile,
  stmt: Statement,
  code: string,
  message: string,
  opts: { hint?: string; detail?: string; sqlState?: string } = {},
): KeelError {
  const location = { file: file.file, line: stmt.line, column: stmt.column };
  return new KeelError(code, `${file.file}:${stmt.line}:${stmt.column}: ${message}`, {
    location,
    excerpt: excerpt(file.text, stmt.line, stmt.column),
    ...opts,
  });
}

export function engineLabel(engine: EngineKind): string {
  return engine === 'pglite' ? 'the embedded database (PGlite)' : 'this PostgreSQL server';
}

/** Where the real extension exists, for messages: PGlite, Supabase, a server with a package installed. */
export function whereAvailable(name: string, serverVersion: number): string {
  const entry = PLATFORM_EXTENSIONS.get(name);
  const places: string[] = [];
  if (pgliteCanHave(name)) places.push("PGlite (Keel's embedded database)");
  if (entry) places.push('Supabase (hosted projects)');
  const major = Math.floor(serverVersion / 10000);
  const pkg = entry?.debian?.replace('<major>', String(major));
  places.push(
    `a PostgreSQL server with it installed${pkg ? ` (Debian: ${pkg})` : ''}${entry?.preload ? ` and shared_preload_libraries = '${entry.preload}'` : ''}`,
  );
  return places.join('; ');
}
