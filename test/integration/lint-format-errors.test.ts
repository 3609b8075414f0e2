/**
 * `keel lint --format json|sarif` (and `--json`) print a machine-readable error document on stdout, and exit 1, when
 * the project cannot be built: CI that parses stdout gets JSON, never a human message on stderr alone.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { engineNames } from '../support/postgres.js';
import { makeProject, targetFor, type TestTarget } from '../support/projects.js';
import { runCli } from '../support/cli.js';

const targets: TestTarget[] = [];
afterAll(async () => {
  for (const t of targets) await t.drop();
});

describe.each(engineNames)('keel lint error documents on %s', (engineName) => {
  // Project mode (PGlite in memory): a migration that parses but fails when applied (the table it alters does not
  // exist). Against a server the pending migrations are read, not applied: a syntax error stops the build there.
  const broken = () =>
    makeProject({
      'migrations/001_ok.sql': 'create table public.a (id int primary key);',
      'migrations/002_bad.sql':
        engineName === 'pglite' ? 'alter table public.missing add column x int;' : 'alter tabel public.missing add column x int;',
    });
  const urlArgs = async () => {
    if (engineName === 'pglite') return [];
    const t = await targetFor('postgres');
    targets.push(t);
    return ['--db-url', t.url!];
  };

  it.each(['--format json', '--json', '--format=json'])(
    '%s: {"ok": false, "error"} on stdout, exit 1',
    async (flags) => {
      const p = broken();
      const r = await runCli(['lint', ...flags.split(' '), '--cwd', p.root, ...(await urlArgs())]);
      expect(r.code).toBe(1);
      const doc = JSON.parse(r.stdout);
      expect(doc.ok).toBe(false);
      expect(doc.error.message).toMatch(/missing|syntax/);
      expect(doc.error.location.file).toBe('supabase/migrations/002_bad.sql');
    },
    60_000,
  );

  it('--format sarif: a SARIF log whose invocation failed, with the error and its file', async () => {
    const p = broken();
    const r = await runCli(['lint', '--format', 'sarif', '--cwd', p.root, ...(await urlArgs())]);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.version).toBe('2.1.0');
    const run = doc.runs[0];
    expect(run.results).toEqual([]);
    expect(run.invocations[0].executionSuccessful).toBe(false);
    const note = run.invocations[0].toolExecutionNotifications[0];
    expect(note.level).toBe('error');
    expect(note.message.text).toMatch(/missing|syntax/);
    expect(note.locations[0].physicalLocation.artifactLocation.uri).toBe('supabase/migrations/002_bad.sql');
    expect(doc.properties.ok).toBe(false);
  }, 60_000);

  it('--format human: the error on stderr, nothing on stdout', async () => {
    const p = broken();
    const r = await runCli(['lint', '--cwd', p.root, ...(await urlArgs())]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/002_bad\.sql/);
  }, 60_000);
});
