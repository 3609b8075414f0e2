/**
 * `keel lint` in project mode reuses the catalog (and the report) of an earlier build of byte-for-byte the same
 * files, config and engine; any change to them builds again. The project mode builds in memory (PGlite), so this file
 * has no server leg; the local server's build (a scratch database) is cached the same way, tested in
 * project-server.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { lint, type LintResult } from '../../src/commands/lint.js';
import { KeelError } from '../../src/core/errors.js';
import { makeProject } from '../support/projects.js';

/** Unique per run, so an earlier run's cache entries never answer for this one. */
const files = () => ({
  'migrations/001_notes.sql': `-- ${randomUUID()}\ncreate table public.notes (id uuid primary key, body text);\nalter table public.notes enable row level security;\n`,
});
const found = (r: LintResult) => r.findings.map((f) => `${f.rule} ${f.object ?? ''}`).sort();

describe('the lint build cache', () => {
  it('a second lint of unchanged files reuses the build; an edited migration builds again and is seen', async () => {
    const p = makeProject(files());
    const first = await lint({ cwd: p.root });
    const second = await lint({ cwd: p.root });
    expect(first.cached).toBe(false);
    expect(second.cached).toBe(true);
    expect(second.target).toMatch(/as built at .*files unchanged since/);
    expect(found(second)).toEqual(found(first));
    expect(found(first)).toContain('rls_enabled_no_policy public.notes');

    p.write('migrations/002_open.sql', 'create table public.open_notes (id uuid primary key);\n');
    const third = await lint({ cwd: p.root });
    expect(third.cached).toBe(false);
    expect(found(third)).toContain('rls_disabled_in_public public.open_notes');
    expect((await lint({ cwd: p.root })).cached).toBe(true);
  });

  it('reuses the build but not the report when the options differ; cache: false builds anyway', async () => {
    const p = makeProject(files());
    const all = await lint({ cwd: p.root });
    const one = await lint({ cwd: p.root, rules: ['no_primary_key'] });
    expect(one.cached).toBe(true);
    expect(one.rules.map((r) => r.id)).toContain('no_primary_key');
    expect(one.rules.map((r) => r.id)).not.toContain('rls_enabled_no_policy');
    expect(all.rules.map((r) => r.id)).toContain('rls_enabled_no_policy');
    const fresh = await lint({ cwd: p.root, cache: false });
    expect(fresh.cached).toBe(false);
    expect(found(fresh)).toEqual(found(all));
  });

  it('a build that fails is not kept: the error comes back on every run', async () => {
    const p = makeProject({ ...files(), 'migrations/002_bad.sql': 'create table public.x (id uuid references public.missing (id));\n' });
    for (let i = 0; i < 2; i++) {
      const err = await lint({ cwd: p.root }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(KeelError);
      expect((err as KeelError).message).toMatch(/missing/);
    }
  });
});
