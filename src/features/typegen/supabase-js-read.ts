/**
 * Reads what the supabase-js renderer needs from a database: the catalog of the exported schemas and the typegen
 * facts (see core/catalog/read-typegen.ts), then renders. The one entry point commands and tests use, so every
 * caller gets the CLI's view nullability, writability and relationships through views.
 *
 * @example
 * const text = await generateSupabaseTypes(engine, ['public']);
 */
import type { Queryable } from '../../db/engine.js';
import { readCatalog, type Catalog } from '../../core/catalog/index.js';
import { readTypegenFacts, type TypegenFacts } from '../../core/catalog/read-typegen.js';
import { renderSupabaseTypes } from './supabase-js.js';

export interface SupabaseTypesInput {
  catalog: Catalog;
  facts: TypegenFacts;
}

/** The catalog of `schemas` and the typegen facts for them. */
export async function readSupabaseTypesInput(db: Queryable, schemas: string[]): Promise<SupabaseTypesInput> {
  const catalog = await readCatalog(db, { schemas });
  const facts = await readTypegenFacts(db, schemas);
  return { catalog, facts };
}

/** `supabase gen types typescript --schema …` for an open database. */
export async function generateSupabaseTypes(db: Queryable, schemas: string[]): Promise<string> {
  const { catalog, facts } = await readSupabaseTypesInput(db, schemas);
  return renderSupabaseTypes(catalog, { schemas, facts });
}
