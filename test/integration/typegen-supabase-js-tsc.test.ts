/**
 * Type-level proof for the supabase-js types: the file Keel generates for examples/ai-workflow-builder compiles with
 * `tsc --noEmit` (strict) next to test/types/ai-workflow-builder.client.ts.fixture, which calls
 * `createClient<Database>(…).from('workflows').insert(…)`; every `@ts-expect-error` line in it is a real error (tsc
 * would report an unused one), and each fails on its own once its marker is removed.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { openEngine, reset } from '../../src/index.js';
import { generateSupabaseTypes } from '../../src/features/typegen/supabase-js-read.js';
import { pgAdminUrl } from '../support/postgres.js';
import { makeProject, targetFor, databaseOf } from '../support/projects.js';

const run = promisify(execFile);
const REPO = path.resolve(__dirname, '../..');
const FIXTURE = path.join(REPO, 'test/types/ai-workflow-builder.client.ts.fixture');
const TSC = path.join(REPO, 'node_modules/typescript/bin/tsc');

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A scratch TypeScript project (strict, NodeNext) that resolves packages from this repository's node_modules. */
function tsProject(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-typegen-tsc-'));
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
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['*.ts'] }, null, 2));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

async function tsc(dir: string): Promise<{ code: number; out: string }> {
  try {
    const r = await run(process.execPath, [TSC, '-p', dir, '--pretty', 'false'], { cwd: dir, maxBuffer: 8 * 1024 * 1024 });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

describe('generated supabase-js types compile with @supabase/supabase-js', () => {
  it('ai-workflow-builder: valid calls pass, @ts-expect-error lines are errors', async () => {
    const p = makeProject();
    fs.cpSync(path.join(REPO, 'examples/ai-workflow-builder/supabase'), path.join(p.root, 'supabase'), {
      recursive: true,
      filter: (src) => !src.includes(`${path.sep}.keel`),
    });
    // built on the test server where there is one (the engines' text is compared in typegen-supabase-js.test.ts)
    const target = await targetFor(pgAdminUrl() ? 'postgres' : 'pglite');
    await reset({ cwd: p.root, ...target.options, yes: true });
    const engine = await openEngine(databaseOf(p.root, target));
    const types = await generateSupabaseTypes(engine, ['public']);
    await engine.close();
    await target.drop();

    const client = fs.readFileSync(FIXTURE, 'utf8');
    const good = await tsc(tsProject({ 'database.ts': types, 'client.ts': client }));
    expect(good.out).toBe('');
    expect(good.code).toBe(0);

    // Negative control: without the markers, tsc reports an error on exactly the marked lines.
    const lines = client.split('\n');
    const marked = lines.flatMap((l, i) => (/^\s*\/\/ @ts-expect-error/.test(l) ? [i + 2] : [])); // 1-based line after
    expect(marked.length).toBeGreaterThanOrEqual(6);
    const unmarked = lines.map((l) => (/^\s*\/\/ @ts-expect-error/.test(l) ? '//' : l)).join('\n');
    const bad = await tsc(tsProject({ 'database.ts': types, 'client.ts': unmarked }));
    expect(bad.code).not.toBe(0);
    const errorLines = [...new Set([...bad.out.matchAll(/^client\.ts\((\d+),\d+\): error/gm)].map((m) => Number(m[1])))].sort(
      (a, b) => a - b,
    );
    expect(errorLines).toEqual(marked);
    expect(bad.out).not.toMatch(/^database\.ts\(/m);
  });
});
