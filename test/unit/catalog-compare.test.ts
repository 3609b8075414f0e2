import { describe, expect, it } from 'vitest';
import {
  catalogFingerprint,
  diffCatalogs,
  stableJson,
  type Catalog,
  type Column,
  type Policy,
  type Table,
} from '../../src/core/catalog/index.js';
import { parsePgBool, sortBy } from '../../src/core/catalog/shared.js';

function column(name: string, ordinal: number, type: string, extra: Partial<Column> = {}): Column {
  return {
    name,
    ordinal,
    type,
    nullable: true,
    default: null,
    identity: null,
    generated: null,
    generatedKind: null,
    collation: null,
    comment: null,
    ...extra,
  };
}

function policy(name: string, extra: Partial<Policy> = {}): Policy {
  return {
    schema: 'public',
    table: 'tasks',
    name,
    command: 'select',
    permissive: true,
    roles: ['authenticated'],
    using: 'true',
    withCheck: null,
    comment: null,
    ...extra,
  };
}

function tasksTable(): Table {
  return {
    schema: 'public',
    name: 'tasks',
    kind: 'table',
    rlsEnabled: true,
    rlsForced: false,
    unlogged: false,
    partitionKey: null,
    partitionOf: null,
    comment: null,
    columns: [column('id', 1, 'bigint', { nullable: false, identity: 'a' }), column('due_date', 2, 'timestamp with time zone')],
    constraints: [],
    indexes: [],
    grants: [{ grantee: 'anon', privilege: 'SELECT', grantable: false }],
  };
}

function catalog(): Catalog {
  return {
    schemas: [{ name: 'public', comment: null }],
    extensions: [],
    enums: [{ schema: 'public', name: 'status', values: ['todo', 'done'], comment: null }],
    domains: [],
    composites: [],
    tables: [tasksTable()],
    views: [],
    materializedViews: [],
    sequences: [],
    functions: [],
    triggers: [],
    policies: [policy('owners read'), policy('public_read', { roles: ['anon'] })],
  };
}

describe('diffCatalogs', () => {
  it('returns [] for identical catalogs', () => {
    expect(diffCatalogs(catalog(), catalog())).toEqual([]);
  });

  it('names a changed column type and a dropped policy', () => {
    const b = catalog();
    b.tables[0]!.columns[1]!.type = 'text';
    b.policies = b.policies.filter((p) => p.name !== 'owners read');
    expect(diffCatalogs(catalog(), b)).toEqual([
      'table public.tasks column due_date type: timestamp with time zone → text',
      'policy public.tasks."owners read" removed',
    ]);
  });

  it('reports additions, nested objects, lists of values and grants', () => {
    const b = catalog();
    b.tables[0]!.columns.push(column('title', 3, 'text'));
    b.tables[0]!.grants = [];
    b.enums[0]!.values = ['todo', 'doing', 'done'];
    b.policies[1]!.roles = ['anon', 'authenticated'];
    b.tables.push({ ...tasksTable(), name: 'Projects' });
    expect(diffCatalogs(catalog(), b)).toEqual([
      'enum public.status values: [todo, done] → [todo, doing, done]',
      'table public.tasks column title added',
      'table public.tasks grant SELECT to anon removed',
      'table public."Projects" added',
      'policy public.tasks.public_read roles: [anon] → [anon, authenticated]',
    ]);
  });

  it('goes into nested objects with a dotted path', () => {
    const a = catalog();
    const fk = {
      name: 'tasks_project_fk',
      type: 'f' as const,
      definition: 'FOREIGN KEY (project_id) REFERENCES public.projects(id)',
      columns: ['project_id'],
      references: {
        schema: 'public',
        table: 'projects',
        columns: ['id'],
        onUpdate: 'no action' as const,
        onDelete: 'no action' as const,
        match: 'simple' as const,
      },
      deferrable: false,
      initiallyDeferred: false,
      validated: true,
      enforced: true,
      comment: null,
    };
    a.tables[0]!.constraints = [fk];
    const b = catalog();
    b.tables[0]!.constraints = [{ ...fk, references: { ...fk.references, onDelete: 'cascade' } }];
    expect(diffCatalogs(a, b)).toEqual(['table public.tasks constraint tasks_project_fk references.onDelete: no action → cascade']);
  });

  it('shows long texts around their first difference', () => {
    const body = (n: number) => `${'select 1;\n'.repeat(20)}select ${n};`;
    const fn = (n: number): Catalog['functions'][number] => ({
      schema: 'public',
      name: 'f',
      kind: 'function',
      identityArgs: '',
      arguments: [],
      returnType: 'integer',
      returnsSet: false,
      language: 'sql',
      volatility: 'volatile',
      securityDefiner: false,
      strict: false,
      config: [],
      body: body(n),
      definition: null,
      comment: null,
      grants: [],
    });
    const [line] = diffCatalogs({ ...catalog(), functions: [fn(1)] }, { ...catalog(), functions: [fn(2)] });
    expect(line).toBe('function public.f() body: …1; select 1; select 1; → …1; select 1; select 2;');
  });

  it('shows whitespace-only differences escaped', () => {
    const b = catalog();
    b.policies[0]!.using = 'true ';
    expect(diffCatalogs(catalog(), b)).toEqual(['policy public.tasks."owners read" using: "true" → "true "']);
  });
});

describe('catalogFingerprint and stableJson', () => {
  it('does not depend on key order, and changes with the content', () => {
    const a = catalog();
    const shuffled = Object.fromEntries(Object.entries(a).reverse()) as unknown as Catalog;
    expect(catalogFingerprint(shuffled)).toBe(catalogFingerprint(a));
    const b = catalog();
    b.tables[0]!.rlsForced = true;
    expect(catalogFingerprint(b)).not.toBe(catalogFingerprint(a));
    expect(catalogFingerprint(a)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('sorts keys at every level and keeps array order', () => {
    expect(stableJson({ b: 1, a: [{ d: 2, c: 1 }, 0] })).toBe('{"a":[{"c":1,"d":2},0],"b":1}');
  });
});

describe('catalog helpers', () => {
  it('sorts by code point, whatever the locale', () => {
    const rows = [
      { s: 'b', n: 'x' },
      { s: 'B', n: 'y' },
      { s: 'a', n: 'z' },
      { s: 'a', n: 'a' },
    ];
    expect(
      sortBy(
        rows,
        (r) => r.s,
        (r) => r.n,
      ).map((r) => `${r.s}${r.n}`),
    ).toEqual(['By', 'aa', 'az', 'bx']);
  });

  it('reads reloption booleans the way Postgres does', () => {
    for (const v of ['true', 'on', '1', 'yes', 'TRUE', 't', 'y']) expect(parsePgBool(v)).toBe(true);
    for (const v of ['false', 'off', '0', 'no', '']) expect(parsePgBool(v)).toBe(false);
  });
});
