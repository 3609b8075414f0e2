import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openEngine, reset } from '../../src/index.js';
import { catalogFingerprint, diffCatalogs, readCatalog, type Catalog } from '../../src/core/catalog/index.js';
import { engineNames } from '../support/postgres.js';
import { makeProject, targetFor, type TestTarget } from '../support/projects.js';

const EXAMPLES = path.resolve(__dirname, '../../examples');

/** A temp copy of an example project (its embedded database stays out of the repo). */
function copyExample(name: string): string {
  const p = makeProject();
  fs.cpSync(path.join(EXAMPLES, name, 'supabase'), path.join(p.root, 'supabase'), {
    recursive: true,
    filter: (src) => !src.includes(`${path.sep}.keel`),
  });
  return p.root;
}

async function catalogOf(root: string, t: TestTarget): Promise<Catalog> {
  const engine = await openEngine(
    t.url ? { kind: 'postgres', url: t.url } : { kind: 'pglite', dataDir: path.join(root, 'supabase/.keel/pglite') },
  );
  try {
    return await readCatalog(engine);
  } finally {
    await engine.close();
  }
}

describe.each(engineNames)('reset on %s', (engineName) => {
  let target: TestTarget;
  afterEach(async () => {
    await target?.drop();
  });

  it.each([
    ['scalemate', 12, 7],
    ['ai-workflow-builder', 19, 14],
  ])('gives the same catalog twice in a row (%s example)', async (example, migrations, tables) => {
    target = await targetFor(engineName);
    const root = copyExample(example);
    const first = await reset({ cwd: root, ...target.options, yes: true });
    expect(first.migrations.filter((m) => m.status === 'applied').length).toBe(migrations);
    const a = await catalogOf(root, target);
    const publicTables = a.tables.filter((t) => t.schema === 'public');
    expect(publicTables.length).toBe(tables);
    expect(publicTables.every((t) => t.rlsEnabled)).toBe(true);
    await reset({ cwd: root, ...target.options, yes: true });
    const b = await catalogOf(root, target);
    expect(diffCatalogs(a, b)).toEqual([]);
    expect(catalogFingerprint(b)).toBe(catalogFingerprint(a));
  });
});
