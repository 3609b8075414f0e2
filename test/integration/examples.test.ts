import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lint, testRls, validate } from '../../src/index.js';
import { engineNames } from '../support/postgres.js';
import { makeProject, targetFor, type TestTarget } from '../support/projects.js';

const EXAMPLES_DIR = path.resolve(__dirname, '../../examples');
/** Every example ships an RLS spec covering every table and all four operations. */
const EXAMPLES = ['scalemate', 'ai-workflow-builder', 'srvc-crm', 'renubu', 'vibecraft'];

function copyExample(name: string): string {
  const p = makeProject();
  fs.cpSync(path.join(EXAMPLES_DIR, name, 'supabase'), path.join(p.root, 'supabase'), {
    recursive: true,
    filter: (src) => !src.includes(`${path.sep}.keel`),
  });
  return p.root;
}

describe.each(engineNames)('examples on %s', (engineName) => {
  let target: TestTarget;
  afterEach(async () => {
    await target?.drop();
  });

  it.each(EXAMPLES)(
    '%s: reset, then every RLS cell passes, the spec covers every table and operation, lint finds no error, validate finds nothing',
    async (example) => {
      target = await targetFor(engineName);
      const root = copyExample(example);
      const r = await testRls({ cwd: root, ...target.options, yes: true });
      expect(
        r.failures.map((f) => `${f.table} ${f.op} ${f.persona}: expected ${f.expected}, got ${f.actual} ${f.error?.message ?? ''}`),
      ).toEqual([]);
      expect(r.probe).toEqual([]);
      expect(r.coverage.uncovered).toEqual([]);
      expect(r.coverage.missingOps).toEqual([]);
      expect(r.ok).toBe(true);
      const l = await lint({ cwd: root, ...target.options, database: true });
      expect(l.pending).toEqual([]);
      expect(l.findings.filter((f) => f.level === 'error').map((f) => `${f.rule} ${f.object}: ${f.message}`)).toEqual([]);
      expect(l.failed).toBe(false);
      // The seed data is consistent, apart from the soft-delete cases keel.toml accepts with a reason.
      const v = await validate({ cwd: root, ...target.options });
      expect(v.checks.filter((c) => c.level !== 'info').map((c) => `${c.check} ${c.object}: ${c.message}`)).toEqual([]);
      expect(v.summary.ok).toBe(true);
      expect((v.ignored ?? []).every((i) => i.check === 'references_soft_deleted' && i.reason.length > 0)).toBe(true);
    },
  );

  it('a deliberately broken policy (using (true)) makes the matrix fail', async () => {
    target = await targetFor(engineName);
    const root = copyExample('scalemate');
    const file = path.join(root, 'supabase/policies/workflows_rls.sql');
    fs.appendFileSync(
      file,
      '\ndrop policy if exists "keel test: open to all" on public.workflows;\ncreate policy "keel test: open to all" on public.workflows for select using (true);\n',
    );
    const r = await testRls({ cwd: root, ...target.options, yes: true, noProbe: true });
    expect(r.ok).toBe(false);
    expect(r.failures.filter((f) => f.table === 'public.workflows' && f.op === 'select').map((f) => f.persona)).toContain('oscar');
  });
});
