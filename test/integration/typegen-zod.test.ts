/**
 * Zod and camelCase generators against a real example: scalemate reset on PGlite, its catalog rendered to files under
 * test/.tmp/, the Zod module imported and checked against every seed row (as supabase-js would receive it:
 * `to_jsonb(row)`), and both modules compiled with `tsc --strict` together with a sample using the mappers.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine, reset } from '../../src/index.js';
import { readCatalog, type Catalog } from '../../src/core/catalog/index.js';
import { renderCamelTypes } from '../../src/features/typegen/camel.js';
import { renderZodSchemas } from '../../src/features/typegen/zod.js';
import { makeProject } from '../support/projects.js';

const REPO = path.resolve(__dirname, '../..');
const TMP = path.join(REPO, 'test/.tmp');

type Validate = (data: unknown) => { ok: true; value: unknown } | { ok: false; error: string };

describe('typegen zod + camel on the scalemate example (pglite)', () => {
  let catalog: Catalog;
  let rows: Record<string, Record<string, unknown>[]>;
  let dir: string;
  let mod: Record<string, unknown>;

  beforeAll(async () => {
    const p = makeProject();
    fs.cpSync(path.join(REPO, 'examples/scalemate/supabase'), path.join(p.root, 'supabase'), {
      recursive: true,
      filter: (src) => !src.includes(`${path.sep}.keel`),
    });
    await reset({ cwd: p.root, env: {}, yes: true });
    const engine = await openEngine({ kind: 'pglite', dataDir: path.join(p.root, 'supabase/.keel/pglite') });
    try {
      catalog = await readCatalog(engine);
      rows = {};
      for (const t of catalog.tables.filter((x) => x.schema === 'public')) {
        const r = await engine.query<{ row: Record<string, unknown> }>(`select to_jsonb(t) as row from public."${t.name}" t`);
        rows[t.name] = r.rows.map((x) => x.row);
      }
    } finally {
      await engine.close();
    }
    fs.mkdirSync(TMP, { recursive: true });
    dir = fs.mkdtempSync(path.join(TMP, 'typegen-'));
    fs.writeFileSync(path.join(dir, 'schemas.ts'), renderZodSchemas(catalog, { schemas: ['public'] }));
    fs.writeFileSync(path.join(dir, 'camel.ts'), renderCamelTypes(catalog, { schemas: ['public'] }));
    mod = (await import(path.join(dir, 'schemas.ts'))) as Record<string, unknown>;
  });

  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const fn = (name: string) => mod[name] as Validate;

  it('accepts every seed row of every public table', () => {
    const checked: Record<string, number> = {};
    const failures: string[] = [];
    const validators: Record<string, string> = {
      automation_rules: 'validateAutomationRule',
      tasks: 'validateTask',
      team_members: 'validateTeamMember',
      teams: 'validateTeam',
      users: 'validateUser',
      workflow_versions: 'validateWorkflowVersion',
      workflows: 'validateWorkflow',
    };
    for (const [table, list] of Object.entries(rows)) {
      const validate = fn(validators[table] ?? '');
      expect(typeof validate, table).toBe('function');
      for (const row of list) {
        const r = validate(row);
        if (!r.ok) failures.push(`${table}: ${r.error}`);
      }
      checked[table] = list.length;
    }
    expect(failures).toEqual([]);
    expect(Object.keys(checked).sort()).toEqual(Object.keys(validators).sort());
    expect(checked.users).toBeGreaterThan(0);
    expect(checked.tasks).toBeGreaterThan(0);
    expect(checked.workflow_versions).toBeGreaterThan(0);
  });

  it('rejects bad inserts with a message naming the field', () => {
    const task = rows.tasks?.[0] ?? {};
    const valid = { workflow_id: task.workflow_id, name: 'Write the report', status: 'in_progress' };
    expect(fn('validateTaskInsert')(valid)).toEqual({ ok: true, value: valid });
    const tooLong = fn('validateTaskInsert')({ ...valid, name: 'x'.repeat(256) });
    expect(tooLong).toEqual({ ok: false, error: expect.stringMatching(/^name: .*255/) });
    const badEnum = fn('validateTaskInsert')({ ...valid, status: 'finished' });
    expect(badEnum).toEqual({ ok: false, error: expect.stringMatching(/^status: /) });
    const { workflow_id: _omit, ...missing } = valid;
    expect(fn('validateTaskInsert')(missing)).toEqual({ ok: false, error: expect.stringMatching(/^workflow_id: /) });
    // A mapped CHECK: workflow_versions.version > 0.
    const version = fn('validateWorkflowVersionInsert')({ workflow_id: task.workflow_id, version: 0 });
    expect(version).toEqual({ ok: false, error: expect.stringMatching(/^version: /) });
    // Row schemas hold Postgres' own checks too: a seed row with a wrong enum fails on that field.
    const user = rows.users?.[0] ?? {};
    expect(fn('validateUser')({ ...user, role: 'root' })).toEqual({ ok: false, error: expect.stringMatching(/^role: /) });
    expect(fn('validateUserUpdate')({ email: 'a'.repeat(300), nope: 1 })).toEqual({
      ok: false,
      error: expect.stringMatching(/^email: .*; Unrecognized key: "nope"$/),
    });
  });

  it('compiles the generated modules and a sample using the mappers under tsc --strict', () => {
    fs.writeFileSync(
      path.join(dir, 'sample.ts'),
      [
        "import { toUser, fromUser, UserRole, TaskStatus, type User, type UserRow } from './camel.js';",
        "import { validateUser, TaskInsertSchema, type TaskInsert } from './schemas.js';",
        'export function roundTrip(row: UserRow): Partial<UserRow> {',
        '  const user: User = toUser(row);',
        '  const when: Date = user.createdAt;',
        '  const last: Date | null | undefined = user.lastLogin;',
        '  const admin: UserRole = UserRole.ADMIN;',
        "  const done: TaskStatus = 'done';",
        '  void when; void last; void admin; void done;',
        '  return fromUser({ ...user, fullName: user.fullName.trim() });',
        '}',
        'export function check(data: unknown): UserRow | string {',
        '  const r = validateUser(data);',
        '  return r.ok ? (r.value as UserRow) : r.error;',
        '}',
        "export const insert: TaskInsert = TaskInsertSchema.parse({ workflow_id: '00000000-0000-0000-0000-000000000001', name: 'x' });",
        '// @ts-expect-error: not a user_role',
        "export const wrong: UserRole = 'root';",
        '',
      ].join('\n'),
    );
    const tsc = path.join(REPO, 'node_modules/typescript/bin/tsc');
    const args = [
      tsc,
      '--noEmit',
      '--strict',
      '--noUncheckedIndexedAccess',
      '--exactOptionalPropertyTypes',
      '--noUnusedLocals',
      '--target',
      'es2022',
      '--module',
      'nodenext',
      '--moduleResolution',
      'nodenext',
      '--skipLibCheck',
      '--types',
      'node',
      path.join(dir, 'camel.ts'),
      path.join(dir, 'schemas.ts'),
      path.join(dir, 'sample.ts'),
    ];
    let output = '';
    try {
      execFileSync(process.execPath, args, { cwd: REPO, encoding: 'utf8' });
    } catch (err) {
      output = String((err as { stdout?: string }).stdout ?? err);
    }
    expect(output).toBe('');
  });

  it('maps seed rows to camelCase values and back', async () => {
    const camel = (await import(path.join(dir, 'camel.ts'))) as Record<string, (x: unknown) => Record<string, unknown>>;
    for (const row of rows.users ?? []) {
      const user = camel.toUser!(row);
      expect(user.createdAt).toBeInstanceOf(Date);
      expect((user.createdAt as Date).getTime()).toBe(Date.parse(row.created_at as string));
      expect(user.fullName).toBe(row.full_name);
      const back = camel.fromUser!(user);
      expect(Object.keys(back).sort()).toEqual(Object.keys(row).sort());
      expect(Date.parse(back.created_at as string)).toBe(Date.parse(row.created_at as string));
      expect(back.last_login === null).toBe(row.last_login === null);
      expect(back.email).toBe(row.email);
    }
  });
});
