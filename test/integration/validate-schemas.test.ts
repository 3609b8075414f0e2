/**
 * Which schemas `keel db validate` checks: every user schema by default (RLS on the exposed ones), keel.toml's
 * `schemas` when it sets them, `--schema` over both; the result and the human output say which. A run that found no
 * table to check is a warning, not an "ok".
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reset } from '../../src/commands/reset.js';
import { validate } from '../../src/commands/validate.js';
import { engineNames } from '../support/postgres.js';
import { makeProject, targetFor, type TempProject, type TestTarget } from '../support/projects.js';
import { runCli } from '../support/cli.js';

const MIGRATION = `
create table public.projects (id bigint primary key, name text not null);
alter table public.projects enable row level security;
create policy projects_read on public.projects for select to authenticated using (true);
-- A private schema the API does not expose: its table has no RLS (nobody reaches it through the API), and an orphan.
create schema app;
create table app.jobs (id bigint primary key, project_id bigint);
insert into public.projects values (1, 'one');
insert into app.jobs values (1, 1), (2, 99);
alter table app.jobs add constraint jobs_project_id_fkey foreign key (project_id) references public.projects (id) not valid;
`;

describe.each(engineNames)('keel db validate schemas on %s', (engineName) => {
  let target: TestTarget;
  let p: TempProject;
  const cliArgs = () => ['--cwd', p.root, ...(target.url ? ['--db-url', target.url] : [])];
  beforeAll(async () => {
    target = await targetFor(engineName);
    p = makeProject({ 'migrations/001_app.sql': MIGRATION });
    await reset({ cwd: p.root, ...target.options, yes: true });
  }, 120_000);
  afterAll(async () => {
    await target?.drop();
  });
  const setConfig = (keel: string | null, supabase: string | null) => {
    if (keel === null) p.remove('keel.toml');
    else p.write('keel.toml', keel);
    if (supabase === null) p.remove('config.toml');
    else p.write('config.toml', supabase);
  };

  it('checks every user schema by default, RLS on public, and says so', async () => {
    setConfig(null, null);
    const r = await validate({ cwd: p.root, ...target.options });
    expect(r.schemas).toEqual(['app', 'public']);
    expect(r.rlsSchemas).toEqual(['public']);
    expect(r.schemaSource).toBe('database');
    expect(r.summary.tables).toBe(2);
    expect(r.checks.filter((c) => c.check === 'orphaned_rows').map((c) => [c.object, c.count])).toEqual([
      ['app.jobs.jobs_project_id_fkey', 1],
    ]);
    expect(r.checks.filter((c) => c.check === 'rls_compliance').map((c) => c.object)).toEqual(['public.projects']);
    const cli = await runCli(['db', 'validate', ...cliArgs()]);
    expect(cli.code).toBe(1); // the orphan
    expect(cli.stdout.split('\n')[0]).toMatch(/validated schemas app, public \(2 table\(s\), every user schema; RLS on public;/);
  });

  it("RLS covers the schemas config.toml's [api] exposes", async () => {
    setConfig(null, '[api]\nschemas = ["public", "app", "graphql_public"]\n');
    const r = await validate({ cwd: p.root, ...target.options, only: ['rls'] });
    expect(r.rlsSchemas).toEqual(['app', 'public']);
    expect(r.checks.find((c) => c.object === 'app.jobs')).toMatchObject({ level: 'error', check: 'rls_compliance' });
  });

  it("keel.toml's schemas, when set, are the list; --schema wins over it", async () => {
    setConfig('schemas = ["public"]\n', null);
    const r = await validate({ cwd: p.root, ...target.options });
    expect([r.schemas, r.rlsSchemas, r.schemaSource]).toEqual([['public'], ['public'], 'config']);
    expect(r.summary.ok).toBe(true);
    const cli = await runCli(['db', 'validate', '--json', ...cliArgs()]);
    expect(cli.code).toBe(0);
    expect(JSON.parse(cli.stdout)).toMatchObject({
      ok: true,
      schemas: ['public'],
      rlsSchemas: ['public'],
      schemaSource: 'config',
      summary: { tables: 1 },
    });
    const opt = await validate({ cwd: p.root, ...target.options, schemas: ['app'] });
    expect([opt.schemas, opt.schemaSource]).toEqual([['app'], 'option']);
    setConfig('schemas = ["nope"]\n', null);
    await expect(validate({ cwd: p.root, ...target.options })).rejects.toMatchObject({
      code: 'KEEL_NO_SCHEMA',
      hint: expect.stringContaining('keel.toml'),
    });
    setConfig(null, null);
  });

  it('zero tables checked is a warning (exit 1), not "ok"', async () => {
    const r = await validate({ cwd: p.root, ...target.options, schemas: ['extensions'] });
    expect(r.summary.tables).toBe(0);
    expect(r.checks).toMatchObject([{ check: 'nothing_checked', level: 'warn', object: 'extensions' }]);
    expect(r.summary.ok).toBe(false);
    const cli = await runCli(['db', 'validate', '--schema', 'extensions', ...cliArgs()]);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toMatch(/no table in schema extensions: nothing was validated/);
    expect(cli.stdout).not.toMatch(/^ok:/m);
  });
});

describe('keel db validate on a database with no user table', () => {
  it('warns that nothing was validated', async () => {
    const p = makeProject();
    const r = await validate({ cwd: p.root, memory: true, env: {} });
    expect(r.schemas).toEqual(['public']);
    expect(r.checks.map((c) => c.check)).toEqual(['nothing_checked']);
    expect(fs.existsSync(path.join(p.root, 'supabase/.keel'))).toBe(false);
  });
});
