/**
 * The part of the catalog validate reads: schemas, tables with columns and constraints, owned sequences, policies.
 * Built from the shared catalog readers (same model, same queries), skipping what no check looks at (functions,
 * triggers, grants, indexes, types, views): about half the catalog queries, which matters when the checks
 * themselves are quick. Read under the session's own search_path, like the check queries that use it.
 */
import type { Catalog } from '../../core/catalog/index.js';
import { readColumns } from '../../core/catalog/read-columns.js';
import { readConstraints } from '../../core/catalog/read-constraints.js';
import { readPolicies } from '../../core/catalog/read-policies.js';
import { readSequences } from '../../core/catalog/read-relations.js';
import { readSchemas } from '../../core/catalog/read-schemas.js';
import { readTables } from '../../core/catalog/read-tables.js';
import { catalogQuery } from '../../core/catalog/shared.js';
import type { Queryable } from '../../db/engine.js';
import type { CheckFamily } from './shared.js';

export async function readValidateCatalog(db: Queryable, schemas: string[], families: CheckFamily[]): Promise<Catalog> {
  const found = await readSchemas(db, schemas);
  const q = catalogQuery(
    db,
    found.map((s) => s.name),
  );
  const columns = await readColumns(q);
  const constraints = await readConstraints(q);
  const tables = await readTables(q, { columns, constraints, indexes: new Map(), grants: new Map() });
  return {
    schemas: found,
    extensions: [],
    enums: [],
    domains: [],
    composites: [],
    tables,
    views: [],
    materializedViews: [],
    sequences: families.includes('sequences') ? await readSequences(q, new Map()) : [],
    functions: [],
    triggers: [],
    policies: families.includes('rls') ? await readPolicies(q) : [],
  };
}
