import { describe, expect, it } from 'vitest';
import type { Catalog, Column, Table } from '../../src/core/catalog/index.js';
import { camelCase, enumKey, pascalCase, singularize } from '../../src/features/typegen/camel-names.js';
import { renderCamelTypes } from '../../src/features/typegen/camel.js';

function col(name: string, type: string, extra: Partial<Column> = {}): Column {
  return {
    name,
    ordinal: 0,
    type,
    nullable: false,
    default: null,
    identity: null,
    generated: null,
    generatedKind: null,
    collation: null,
    comment: null,
    ...extra,
  };
}

function table(name: string, columns: Column[], schema = 'public'): Table {
  return {
    schema,
    name,
    kind: 'table',
    rlsEnabled: true,
    rlsForced: false,
    unlogged: false,
    partitionKey: null,
    partitionOf: null,
    comment: null,
    columns: columns.map((c, i) => ({ ...c, ordinal: i + 1 })),
    constraints: [],
    indexes: [],
    grants: [],
  };
}

function catalogOf(tables: Table[], extra: Partial<Catalog> = {}): Catalog {
  return {
    schemas: [{ name: 'public', comment: null }],
    extensions: [],
    enums: [],
    domains: [],
    composites: [],
    tables,
    views: [],
    materializedViews: [],
    sequences: [],
    functions: [],
    triggers: [],
    policies: [],
    ...extra,
  };
}

const catalog = catalogOf(
  [
    table('users', [
      col('id', 'uuid'),
      col('full_name', 'character varying(255)'),
      col('role', 'public.user_role', { default: "'member'::public.user_role" }),
      col('created_at', 'timestamp with time zone', { default: 'now()' }),
      col('last_login', 'timestamp with time zone', { nullable: true }),
      col('birthday', 'date', { nullable: true }),
      col('seen_at', 'timestamp without time zone[]'),
      col('settings', 'jsonb'),
      col('my-col', 'integer'),
    ]),
    table('team_members', [col('team_id', 'uuid'), col('score', 'bigint', { nullable: true })]),
    table('categories', [col('id', 'integer')]),
    table('addresses', [col('id', 'integer')]),
    table('users', [col('id', 'uuid')], 'auth'),
  ],
  { enums: [{ schema: 'public', name: 'user_role', values: ['admin', 'manager', 'in_progress'], comment: null }] },
);

describe('typegen naming', () => {
  it('singularizes and cases names', () => {
    expect(
      ['users', 'team_members', 'workflow_versions', 'categories', 'addresses', 'status', 'analysis', 'glass'].map(singularize),
    ).toEqual(['user', 'team_member', 'workflow_version', 'category', 'address', 'status', 'analysis', 'glass']);
    expect(pascalCase('team_member')).toBe('TeamMember');
    expect(camelCase('last_login')).toBe('lastLogin');
    expect(camelCase('_private_key')).toBe('_privateKey');
    expect(enumKey('in_progress')).toBe('IN_PROGRESS');
    expect(enumKey('past due')).toBe('PAST_DUE');
    expect(enumKey('1st')).toBe('_1ST');
  });
});

describe('renderCamelTypes', () => {
  const out = renderCamelTypes(catalog, { schemas: ['public', 'auth'] });

  it('emits enums as a union and a const object', () => {
    expect(out).toContain(
      [
        'export type UserRole = "admin" | "manager" | "in_progress";',
        'export const UserRole = {',
        '  ADMIN: "admin",',
        '  MANAGER: "manager",',
        '  IN_PROGRESS: "in_progress",',
        '} as const satisfies Record<string, UserRole>;',
      ].join('\n'),
    );
  });

  it('emits camelCase interfaces with Dates and optional nullable fields', () => {
    expect(out).toContain(
      [
        'export interface User {',
        '  id: string;',
        '  fullName: string;',
        '  role: UserRole;',
        '  createdAt: Date;',
        '  lastLogin?: Date | null;',
        '  birthday?: Date | null;',
        '  seenAt: Date[];',
        '  settings: Json;',
        '  "my-col": number;',
        '}',
      ].join('\n'),
    );
    expect(out).toContain('export interface UserRow {\n  id: string;\n  full_name: string;');
    expect(out).toContain('  last_login: string | null;');
    expect(out).toContain('export interface TeamMember {\n  teamId: string;\n  score?: number | null;\n}');
    expect(out).toContain('export interface Category {');
    expect(out).toContain('export interface Address {');
    // auth.users collides with public.users: the schema prefixes the later one.
    expect(out).toContain('export interface AuthUser {');
  });

  it('emits mappers converting names and dates', () => {
    expect(out).toContain('    lastLogin: row.last_login === null ? null : new Date(row.last_login),');
    expect(out).toContain('    birthday: row.birthday === null ? null : new Date(row.birthday),');
    expect(out).toContain("    seenAt: row.seen_at.map((v) => new Date(v + 'Z')),");
    expect(out).toContain('    "my-col": row["my-col"],');
    expect(out).toContain('export function fromUser(value: Partial<User>): Partial<UserRow> {');
    expect(out).toContain('  if (value.createdAt !== undefined) row.created_at = value.createdAt.toISOString();');
    expect(out).toContain(
      '  if (value.birthday !== undefined) row.birthday = value.birthday === null ? null : value.birthday.toISOString().slice(0, 10);',
    );
    expect(out).toContain('  if (value.seenAt !== undefined) row.seen_at = value.seenAt.map((v) => v.toISOString().slice(0, -1));');
  });

  it('is deterministic and sorted', () => {
    const shuffled = { ...catalog, tables: [...catalog.tables].reverse() };
    expect(renderCamelTypes(shuffled, { schemas: ['public', 'auth'] })).toBe(out);
    expect(out.indexOf('interface Address')).toBeLessThan(out.indexOf('interface Category'));
    expect(out.indexOf('interface AuthUser')).toBeLessThan(out.indexOf('interface Address'));
  });
});
