/**
 * Every example's generated files (supabase-js types, camelCase models, Zod validation) compile together under
 * strict `tsc`, next to a sample that uses them through `createClient<Database>()` from @supabase/supabase-js.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { openEngine, reset } from '../../src/index.js';
import { readCatalog } from '../../src/core/catalog/index.js';
import { renderTypeFiles } from '../../src/commands/gen-types.js';
import { readTypegenFacts } from '../../src/core/catalog/read-typegen.js';
import { pgAdminUrl } from '../support/postgres.js';
import { makeProject, targetFor, databaseOf } from '../support/projects.js';

const run = promisify(execFile);
const REPO = path.resolve(__dirname, '../..');
const TSC = path.join(REPO, 'node_modules/typescript/bin/tsc');
const EXAMPLES = ['scalemate', 'ai-workflow-builder', 'srvc-crm', 'renubu', 'vibecraft'];

const dirs: string[] = [];
afterAll(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

async function generated(example: string): Promise<{ files: Record<string, string>; firstTable: string }> {
  const p = makeProject();
  fs.cpSync(path.join(REPO, 'examples', example, 'supabase'), path.join(p.root, 'supabase'), {
    recursive: true,
    filter: (src) => !src.includes(`${path.sep}.keel`),
  });
  // What tsc reads does not depend on the engine (gen-types tests compare the engines' text): built on the test server
  // where there is one, in a second or so, else on PGlite.
  const target = await targetFor(pgAdminUrl() ? 'postgres' : 'pglite');
  await reset({ cwd: p.root, ...target.options, yes: true });
  const engine = await openEngine(databaseOf(p.root, target));
  try {
    const catalog = await readCatalog(engine, { schemas: ['public'] });
    return {
      files: renderTypeFiles(catalog, ['public'], await readTypegenFacts(engine, ['public'])),
      firstTable: catalog.tables.find((t) => t.schema === 'public')!.name,
    };
  } finally {
    await engine.close();
    await target.drop();
  }
}

describe('generated types of every example', () => {
  it('compile under strict tsc with @supabase/supabase-js and zod', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-typegen-all-'));
    dirs.push(dir);
    fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'module', private: true }));
    const compilerOptions = {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: [],
    };
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['**/*.ts'] }));
    for (const example of EXAMPLES) {
      const { files, firstTable } = await generated(example);
      const sub = path.join(dir, example);
      fs.mkdirSync(sub);
      fs.writeFileSync(path.join(sub, 'database.ts'), files['database.types.ts']!);
      fs.writeFileSync(path.join(sub, 'models.ts'), files['models.ts']!);
      fs.writeFileSync(path.join(sub, 'validation.ts'), files['validation.ts']!);
      fs.writeFileSync(
        path.join(sub, 'sample.ts'),
        `import { createClient } from '@supabase/supabase-js';
import type { Database, Tables } from './database.js';
import * as models from './models.js';
import * as validation from './validation.js';
const db = createClient<Database>('http://localhost:54321', 'anon-key');
export async function firstRows(): Promise<Tables<'${firstTable}'>[] | null> {
  const { data } = await db.from('${firstTable}').select('*');
  return data;
}
export const loaded = [Object.keys(models).length, Object.keys(validation).length];
`,
      );
    }
    let out: string;
    let code = 0;
    try {
      const r = await run(process.execPath, [TSC, '-p', dir, '--pretty', 'false'], { cwd: dir, maxBuffer: 16 * 1024 * 1024 });
      out = r.stdout + r.stderr;
    } catch (err) {
      const e = err as { code?: number; stdout?: string; stderr?: string };
      code = typeof e.code === 'number' ? e.code : 1;
      out = `${e.stdout ?? ''}${e.stderr ?? ''}`;
    }
    expect(out).toBe('');
    expect(code).toBe(0);
  });
});
