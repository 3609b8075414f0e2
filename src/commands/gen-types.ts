import fs from 'node:fs';
import path from 'node:path';
import { readCatalog } from '../core/catalog/index.js';
import { readTypegenFacts, type TypegenFacts } from '../core/catalog/read-typegen.js';
import { KeelError } from '../core/errors.js';
import { rel, type Project } from '../core/project/layout.js';
import type { Engine } from '../db/engine.js';
import { renderCamelTypes } from '../features/typegen/camel.js';
import { renderSupabaseTypes } from '../features/typegen/supabase-js.js';
import { renderZodSchemas } from '../features/typegen/zod.js';
import { loadProject, withEngine, type CommonOptions } from './context.js';
import { makeDirs } from '../core/fs.js';

export interface GenTypesOptions extends CommonOptions {
  /** Output folder (default supabase/types, or `[types] output`); `-` prints database.types.ts on stdout. */
  output?: string;
  /** Schemas to generate (default the config's `schemas`, i.e. public). */
  schemas?: string[];
  /** Write nothing; report files whose content differs from what would be generated. */
  check?: boolean;
}

export interface GeneratedFile {
  file: string;
  bytes: number;
  /** The file on disk differed (or was missing) before this run. */
  changed: boolean;
}

export interface GenTypesResult {
  target: string;
  schemas: string[];
  files: GeneratedFile[];
  /** With `check`: files that are missing or out of date. */
  stale: string[];
  /** With output `-`: the supabase-js types. */
  stdout?: string;
}

/** The three files, by name: supabase-js `Database` types, camelCase interfaces with mappers, Zod schemas. */
export function renderTypeFiles(
  catalog: Awaited<ReturnType<typeof readCatalog>>,
  schemas: string[],
  facts?: TypegenFacts,
): Record<string, string> {
  return {
    'database.types.ts': renderSupabaseTypes(catalog, { schemas, facts }),
    'models.ts': renderCamelTypes(catalog, { schemas }),
    'validation.ts': renderZodSchemas(catalog, { schemas }),
  };
}

/** Generates (or checks) the type files from an open engine's catalog. */
export async function genTypesOn(engine: Engine, project: Project, opts: GenTypesOptions): Promise<GenTypesResult> {
  const schemas = opts.schemas?.length ? opts.schemas : project.config.schemas;
  const catalog = await readCatalog(engine, { schemas });
  const missing = schemas.filter((s) => !catalog.schemas.some((c) => c.name === s));
  if (missing.length > 0) {
    throw new KeelError('KEEL_NO_SCHEMA', `schema ${missing.join(', ')} does not exist in ${engine.target}`, {
      hint: 'run `keel db migrate` (or `keel db reset`) first, or fix --schema',
    });
  }
  const rendered = renderTypeFiles(catalog, schemas, await readTypegenFacts(engine, schemas));
  if (opts.output === '-') {
    return { target: engine.target, schemas, files: [], stale: [], stdout: rendered['database.types.ts'] };
  }
  const dir = path.resolve(project.root, opts.output ?? project.config.types.output);
  const files: GeneratedFile[] = [];
  const stale: string[] = [];
  for (const [name, text] of Object.entries(rendered)) {
    const abs = path.join(dir, name);
    let before: string | undefined;
    try {
      before = fs.readFileSync(abs, 'utf8');
    } catch {
      before = undefined;
    }
    const changed = before !== text;
    if (changed) stale.push(rel(project, abs));
    if (!opts.check && changed) {
      makeDirs(dir);
      fs.writeFileSync(`${abs}.tmp`, text);
      fs.renameSync(`${abs}.tmp`, abs);
    }
    files.push({ file: rel(project, abs), bytes: Buffer.byteLength(text), changed });
  }
  return { target: engine.target, schemas, files, stale: opts.check ? stale : [] };
}

/**
 * `keel gen types`: supabase-js `Database` types, camelCase interfaces with row mappers, and Zod schemas with
 * `validateX()` helpers, from the catalog of the target database, written to supabase/types/. `check` writes nothing
 * and lists stale files (for CI).
 *
 * @example
 * const r = await genTypes({ cwd: 'examples/vibecraft' }); r.files.map((f) => f.file)
 */
export async function genTypes(opts: GenTypesOptions = {}): Promise<GenTypesResult> {
  if (opts.output !== undefined && opts.output.trim() === '') {
    throw new KeelError('KEEL_BAD_OPTION', '--output is empty', { hint: 'give a folder (default supabase/types), or - for stdout' });
  }
  const project = loadProject(opts);
  return withEngine(project, { ...opts, command: 'keel gen types' }, (engine) => genTypesOn(engine, project, opts));
}
