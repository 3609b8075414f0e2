/**
 * A fresh database on one engine with the Supabase shim and a fixture script, and its catalog: what the lint tests
 * (and any test that reads a planted schema) start from.
 *
 * @example
 * const fx = await openFixtureDb('postgres', 'create table public.t (id int);', { prefix: 'lint' });
 * fx.catalog.tables.length; // 1
 * await fx.close();
 */
import { readCatalog, type Catalog } from '../../src/core/catalog/index.js';
import { ensureParser } from '../../src/core/sql/parser.js';
import type { Engine } from '../../src/db/engine.js';
import { openEngine } from '../../src/db/open.js';
import { installShim } from '../../src/db/shim/supabase-shim.js';
import { createTestDatabase, type TestDatabase } from './postgres.js';

export interface FixtureDb {
  kind: 'pglite' | 'postgres';
  engine: Engine;
  catalog: Catalog;
  /** The database URL on the postgres engine. */
  url?: string;
  close(): Promise<void>;
}

export async function openFixtureDb(
  kind: 'pglite' | 'postgres',
  sql: string,
  opts: { prefix?: string; extensions?: string[] } = {},
): Promise<FixtureDb> {
  await ensureParser();
  let db: TestDatabase | undefined;
  let engine: Engine;
  if (kind === 'postgres') {
    db = await createTestDatabase(opts.prefix ?? 'fixture');
    engine = await openEngine({ kind: 'postgres', url: db.url });
  } else {
    engine = await openEngine({ kind: 'pglite', memory: true }, { extensions: opts.extensions });
  }
  try {
    await engine.transaction((tx) => installShim(tx));
    await engine.exec(sql);
    const catalog = await readCatalog(engine);
    return {
      kind,
      engine,
      catalog,
      url: db?.url,
      close: async () => {
        await engine.close();
        await db?.drop();
      },
    };
  } catch (err) {
    await engine.close().catch(() => undefined);
    await db?.drop();
    throw err;
  }
}
