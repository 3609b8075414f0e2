/**
 * The lint framework end to end: modes (project built in memory; a database as it is, with its pending migrations),
 * locations from the project's files, suppressions (comments and config, with and without a reason), levels from
 * config, --fail-on, JSON and SARIF. The rules themselves are tested in lint-catalog, lint-sql-rules,
 * lint-conventions and lint-migrations.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lint, type LintResult } from '../../src/commands/lint.js';
import { migrate } from '../../src/commands/migrate.js';
import { KeelError } from '../../src/core/errors.js';
import { toSarif } from '../../src/features/lint/sarif.js';
import { runCli } from '../support/cli.js';
import { engineNames } from '../support/postgres.js';
import { makeProject, targetFor, type TempProject, type TestTarget } from '../support/projects.js';

const INIT = `create table public.teams (
  id uuid primary key default gen_random_uuid(),
  name text not null
);
alter table public.teams enable row level security;
create policy teams_read on public.teams for select to authenticated using (true);

create table public.notes (
  id uuid primary key default gen_random_uuid(),
  team_id uuid not null references public.teams (id),
  body text
);

-- keel-ignore no_primary_key, rls_disabled_in_public: append-only audit log, written by triggers only
create table public.audit_log (at timestamptz not null default now(), event jsonb not null);

-- keel-ignore rls_enabled_no_policy
create table public.vault_items (id uuid primary key);
alter table public.vault_items enable row level security;
`;

const TOML = `[lint]
conventions = false

[[lint.ignore]]
rule = "unindexed_foreign_keys"
object = "public.notes.notes_team_id_fkey"
reason = "notes are always read through their id"

[[lint.ignore]]
rule = "duplicate_index"
`;

const ADD_SLUG = `alter table public.teams add column slug text not null;\n`;

function lineOf(text: string, needle: string): number {
  return text.slice(0, text.indexOf(needle)).split('\n').length;
}

function rulesOn(r: LintResult, object: string): string[] {
  return r.findings
    .filter((f) => f.object === object)
    .map((f) => f.rule)
    .sort();
}

function fixture(): TempProject {
  return makeProject({ 'migrations/001_init.sql': INIT, 'keel.toml': TOML });
}

describe('keel lint on the project (built in memory)', () => {
  let project: TempProject;
  let r: LintResult;
  beforeAll(async () => {
    project = fixture();
    r = await lint({ cwd: project.root, env: {} });
  });

  it('lints what the files build, with every migration pending', () => {
    expect(r.mode).toBe('project');
    expect(r.pending).toEqual(['supabase/migrations/001_init.sql']);
  });

  it('locates catalog findings at the statement that defines the object', () => {
    const f = r.findings.find((x) => x.rule === 'rls_disabled_in_public' && x.object === 'public.notes');
    expect(f?.level).toBe('error');
    expect(f?.location).toEqual({ file: 'supabase/migrations/001_init.sql', line: lineOf(INIT, 'create table public.notes'), column: 1 });
  });

  it('applies a comment suppression with a reason to the statement below it', () => {
    expect(rulesOn(r, 'public.audit_log')).toEqual([]);
    const s = r.suppressed.filter((x) => x.object === 'public.audit_log').map((x) => [x.rule, x.suppressedBy.reason]);
    expect(s.sort()).toEqual([
      ['no_primary_key', 'append-only audit log, written by triggers only'],
      ['rls_disabled_in_public', 'append-only audit log, written by triggers only'],
    ]);
  });

  it('reports a suppression without a reason as an error, while still applying it', () => {
    expect(rulesOn(r, 'public.vault_items')).toEqual([]);
    expect(r.suppressed.some((x) => x.object === 'public.vault_items' && x.rule === 'rls_enabled_no_policy')).toBe(true);
    const missing = r.findings.filter((f) => f.rule === 'suppression_missing_reason');
    expect(missing.map((f) => `${f.location?.file}:${f.location?.line}`).sort()).toEqual([
      `supabase/keel.toml:${lineOf(TOML, '"duplicate_index"')}`,
      `supabase/migrations/001_init.sql:${lineOf(INIT, 'keel-ignore rls_enabled_no_policy')}`,
    ]);
    expect(missing.every((f) => f.level === 'error')).toBe(true);
  });

  it('applies config suppressions per object, and reports the ones that silence nothing', () => {
    expect(r.suppressed.find((x) => x.rule === 'unindexed_foreign_keys')?.suppressedBy).toMatchObject({
      by: 'config',
      reason: 'notes are always read through their id',
    });
    expect(r.findings.filter((f) => f.rule === 'unindexed_foreign_keys')).toEqual([]);
    const unused = r.findings.filter((f) => f.rule === 'unused_suppression');
    expect(unused.map((f) => f.message)).toEqual(['[[lint.ignore]] rule = "duplicate_index" silenced nothing']);
  });

  it('fails at the default level (error) and counts by level', () => {
    expect(r.failed).toBe(true);
    expect(r.counts.error).toBe(r.findings.filter((f) => f.level === 'error').length);
    expect(r.counts.error).toBeGreaterThanOrEqual(3);
  });

  it('writes SARIF 2.1.0 with locations, rules and suppressions', () => {
    const sarif = toSarif(r) as {
      version: string;
      runs: { tool: { driver: { rules: { id: string }[] } }; results: Record<string, any>[] }[];
    };
    expect(sarif.version).toBe('2.1.0');
    const run = sarif.runs[0]!;
    const notes = run.results.find(
      (x) => x.ruleId === 'rls_disabled_in_public' && x.logicalLocations[0].fullyQualifiedName === 'public.notes',
    )!;
    expect(notes.level).toBe('error');
    expect(notes.locations[0].physicalLocation.region.startLine).toBe(lineOf(INIT, 'create table public.notes'));
    expect(run.tool.driver.rules[notes.ruleIndex]?.id).toBe('rls_disabled_in_public');
    const suppressed = run.results.filter((x) => x.suppressions);
    expect(suppressed.length).toBe(r.suppressed.length);
    expect(suppressed.find((x) => x.ruleId === 'no_primary_key')?.suppressions[0]).toEqual({
      kind: 'inSource',
      justification: 'append-only audit log, written by triggers only',
    });
  });

  it('turns rules off and changes levels from config; --since marks migrations as deployed', async () => {
    project.write('keel.toml', `${TOML}\n[lint.rules]\nrls_disabled_in_public = "off"\nno_primary_key = "warn"\n`);
    project.write('migrations/002_slug.sql', ADD_SLUG);
    const all = await lint({ cwd: project.root, env: {} });
    expect(all.findings.some((f) => f.rule === 'rls_disabled_in_public')).toBe(false);
    // teams is created by a pending migration: adding a required column to it is safe.
    expect(all.findings.some((f) => f.rule === 'adding-required-field')).toBe(false);
    const since = await lint({ cwd: project.root, env: {}, since: '001' });
    expect(since.pending).toEqual(['supabase/migrations/002_slug.sql']);
    const f = since.findings.find((x) => x.rule === 'adding-required-field');
    expect(f?.location?.file).toBe('supabase/migrations/002_slug.sql');
    expect(f?.location?.line).toBe(1);
    project.remove('migrations/002_slug.sql');
    project.write('keel.toml', TOML);
  });

  it('refuses unknown rules and a bad --since with a clear error', async () => {
    await expect(lint({ cwd: project.root, env: {}, rules: ['no_such_rule'] })).rejects.toThrow(/unknown rule: no_such_rule/);
    await expect(lint({ cwd: project.root, env: {}, since: 'v1' })).rejects.toBeInstanceOf(KeelError);
  });
});

describe.each(engineNames)('keel lint on a %s database', (engine) => {
  let project: TempProject;
  let target: TestTarget;
  beforeAll(async () => {
    project = fixture();
    target = await targetFor(engine);
    await migrate({ cwd: project.root, ...target.options });
  });
  afterAll(() => target.drop());

  it('lints the database as it is, and only the migrations it has not applied', async () => {
    const clean = await lint({ cwd: project.root, ...target.options, database: true });
    expect(clean.mode).toBe('database');
    expect(clean.pending).toEqual([]);
    expect(rulesOn(clean, 'public.notes')).toContain('rls_disabled_in_public');
    expect(clean.findings.find((f) => f.object === 'public.notes')?.location?.file).toBe('supabase/migrations/001_init.sql');

    project.write('migrations/002_slug.sql', ADD_SLUG);
    const r = await lint({ cwd: project.root, ...target.options, database: true });
    expect(r.pending).toEqual(['supabase/migrations/002_slug.sql']);
    expect(r.notes.join('\n')).toMatch(/1 migration is not applied/);
    // teams exists on the database: a NOT NULL column without a default fails on any row.
    const f = r.findings.find((x) => x.rule === 'adding-required-field');
    expect(f).toMatchObject({ level: 'error', location: { file: 'supabase/migrations/002_slug.sql', line: 1 } });
    project.remove('migrations/002_slug.sql');
  });
});

describe('keel lint CLI', () => {
  it('exits 1 with findings at --fail-on, prints JSON and SARIF', async () => {
    const project = fixture();
    const json = await runCli(['lint', '--json'], { cwd: project.root });
    expect(json.code).toBe(1);
    const doc = JSON.parse(json.stdout) as LintResult & { ok: boolean };
    expect(doc.ok).toBe(false);
    expect(doc.findings.some((f) => f.rule === 'rls_disabled_in_public')).toBe(true);

    const sarif = await runCli(['lint', '--format', 'sarif', '--rule', 'no_primary_key'], { cwd: project.root });
    expect(JSON.parse(sarif.stdout).version).toBe('2.1.0');

    const human = await runCli(['lint', '--rule', 'rls_disabled_in_public'], { cwd: project.root });
    expect(human.code).toBe(1);
    expect(human.stdout).toContain(
      `supabase/migrations/001_init.sql:${lineOf(INIT, 'create table public.notes')}:1  error  rls_disabled_in_public  public.notes`,
    );
    expect(human.stderr).not.toMatch(/\n\s+at /);
  });
});
