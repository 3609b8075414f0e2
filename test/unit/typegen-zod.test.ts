import { describe, expect, it } from 'vitest';
import type { Catalog, Column, Constraint, Table } from '../../src/core/catalog/index.js';
import { renderZodSchemas } from '../../src/features/typegen/zod.js';
import { parseSimpleCheck } from '../../src/features/typegen/zod-checks.js';

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

function check(name: string, columns: string[], definition: string): Constraint {
  return {
    name,
    type: 'c',
    definition,
    columns,
    references: null,
    deferrable: false,
    initiallyDeferred: false,
    validated: true,
    enforced: true,
    comment: null,
  };
}

function table(name: string, columns: Column[], constraints: Constraint[] = []): Table {
  return {
    schema: 'public',
    name,
    kind: 'table',
    rlsEnabled: true,
    rlsForced: false,
    unlogged: false,
    partitionKey: null,
    partitionOf: null,
    comment: null,
    columns: columns.map((c, i) => ({ ...c, ordinal: i + 1 })),
    constraints,
    indexes: [],
    grants: [],
  };
}

const catalog: Catalog = {
  schemas: [{ name: 'public', comment: null }],
  extensions: [],
  composites: [],
  views: [],
  materializedViews: [],
  sequences: [],
  functions: [],
  triggers: [],
  policies: [],
  enums: [{ schema: 'public', name: 'task_status', values: ['todo', 'in_progress', 'done'], comment: null }],
  domains: [
    {
      schema: 'public',
      name: 'positive_int',
      baseType: 'integer',
      notNull: false,
      default: null,
      collation: null,
      checks: [{ name: 'positive_int_check', definition: 'CHECK ((VALUE > 0))' }],
      comment: null,
    },
  ],
  tables: [
    table(
      'tasks',
      [
        col('id', 'bigint', { identity: 'a' }),
        col('title', 'character varying(80)'),
        col('status', 'public.task_status', { default: "'todo'::public.task_status" }),
        col('priority', 'smallint'),
        col('estimate', 'numeric(6,2)', { nullable: true }),
        col('due_at', 'timestamp with time zone', { nullable: true }),
        col('due_on', 'date', { nullable: true }),
        col('tags', 'text[]', { default: "'{}'::text[]" }),
        col('label', 'text', { nullable: true }),
        col('code', 'character(4)'),
        col('slug', 'text'),
        col('points', 'public.positive_int', { nullable: true }),
        col('meta', 'jsonb'),
        col('owner_id', 'uuid'),
        col('search', 'tsvector', { nullable: true, generated: "to_tsvector('simple'::regconfig, (title)::text)" }),
        col('seq', 'integer', { identity: 'd' }),
      ],
      [
        check('tasks_estimate_check', ['estimate'], 'CHECK (((estimate IS NULL) OR (estimate >= (0)::numeric)))'),
        check('tasks_label_check', ['label'], "CHECK ((label = ANY (ARRAY['a'::text, 'b'::text])))"),
        check('tasks_priority_check', ['priority'], 'CHECK (((priority >= 1) AND (priority <= 5)))'),
        check('tasks_slug_check', ['slug'], "CHECK ((slug ~ '^[a-z]+$'::text))"),
        check('tasks_slug_len_check', ['slug'], 'CHECK ((char_length(slug) <= 40))'),
        check('tasks_title_check', ['title'], 'CHECK ((char_length((title)::text) >= 3))'),
      ],
    ),
  ],
};

describe('parseSimpleCheck', () => {
  it.each([
    ['CHECK ((price >= (0)::numeric))', { column: 'price', bounds: { min: 0 }, length: {} }],
    ['CHECK ((version > 0))', { column: 'version', bounds: { gt: 0 }, length: {} }],
    ["CHECK ((h >= '-1'::integer))", { column: 'h', bounds: { min: -1 }, length: {} }],
    ['CHECK ((m < (1.5)::double precision))', { column: 'm', bounds: { lt: 1.5 }, length: {} }],
    ['CHECK ((0 <= u))', { column: 'u', bounds: { min: 0 }, length: {} }],
    ['CHECK (((c >= 1) AND (c <= 5)))', { column: 'c', bounds: { min: 1, max: 5 }, length: {} }],
    ['CHECK ((char_length((e)::text) <= 10))', { column: 'e', bounds: {}, length: { max: 10 } }],
    ['CHECK (((j IS NULL) OR (length(j) <= 8)))', { column: 'j', bounds: {}, length: { max: 8 } }],
    [
      "CHECK (((g)::text = ANY ((ARRAY['x'::character varying, 'it''s'::character varying])::text[])))",
      { column: 'g', bounds: {}, length: {}, values: ['x', "it's"] },
    ],
    ['CHECK ((VALUE > 0)) NOT VALID', { column: 'VALUE', bounds: { gt: 0 }, length: {} }],
  ])('maps %s', (def, expected) => {
    expect(parseSimpleCheck(def)).toEqual(expected);
  });

  it.each([
    "CHECK ((s ~ '^a'::text))",
    'CHECK ((length(TRIM(BOTH FROM k)) > 0))',
    'CHECK ((a > b))',
    'CHECK (((a > 0) AND (b > 0)))',
    "CHECK (((status <> 'done'::text) OR (done_at IS NOT NULL)))",
  ])('leaves %s alone', (def) => {
    expect(parseSimpleCheck(def)).toBeNull();
  });
});

describe('renderZodSchemas', () => {
  const out = renderZodSchemas(catalog, { schemas: ['public'] });

  it('imports zod and declares enums', () => {
    expect(out).toContain("import { z } from 'zod';");
    expect(out).toContain('export const TaskStatusSchema = z.enum(["todo", "in_progress", "done"]);');
  });

  it('emits the Row schema with types, ranges and mapped checks', () => {
    expect(out).toContain(
      [
        'export const TaskRowSchema = z.object({',
        '  id: z.number().int(),',
        '  title: z.string().min(3).max(80),',
        '  status: TaskStatusSchema,',
        '  priority: z.number().int().min(1).max(5),',
        '  estimate: z.number().min(0).nullable(),',
        '  due_at: pgTimestamp.nullable(),',
        '  due_on: pgDate.nullable(),',
        '  tags: z.array(z.string()),',
        '  label: z.enum(["a", "b"]).nullable(),',
        '  code: z.string().max(4),',
        '  slug: z.string().max(40),',
        '  points: z.number().int().gt(0).max(2147483647).nullable(),',
        '  meta: z.json(),',
        '  owner_id: z.guid(),',
        '  search: z.string().nullable(),',
        '  seq: z.number().int().min(-2147483648).max(2147483647),',
        '});',
        'export type TaskRow = z.infer<typeof TaskRowSchema>;',
      ].join('\n'),
    );
    expect(out).toContain(
      "// CHECK constraints left to the database (not simple enough to map):\n//   tasks_slug_check: CHECK ((slug ~ '^[a-z]+$'::text))",
    );
  });

  it('omits generated and identity ALWAYS columns from Insert and Update; optional when defaulted or nullable', () => {
    const insert = out.slice(out.indexOf('export const TaskInsertSchema'), out.indexOf('export type TaskInsert '));
    expect(insert).toContain('export const TaskInsertSchema = z.strictObject({\n  title: z.string().min(3).max(80),\n');
    expect(insert).toContain('  status: TaskStatusSchema.optional(),');
    expect(insert).toContain('  priority: z.number().int().min(1).max(5),');
    expect(insert).toContain('  due_at: pgTimestamp.nullable().optional(),');
    expect(insert).toContain('  seq: z.number().int().min(-2147483648).max(2147483647).optional(),');
    expect(insert).not.toContain('  id:');
    expect(insert).not.toContain('  search:');
    const update = out.slice(out.indexOf('export const TaskUpdateSchema'), out.indexOf('export type TaskUpdate '));
    expect(update).toContain('  title: z.string().min(3).max(80).optional(),');
    expect(update).not.toContain('  id:');
    expect(update).not.toContain('  search:');
  });

  it('emits validate helpers', () => {
    expect(out).toContain('export type ValidationResult<T> = { ok: true; value: T } | { ok: false; error: string };');
    expect(out).toContain('export function validateTask(data: unknown): ValidationResult<TaskRow> {');
    expect(out).toContain('export function validateTaskInsert(data: unknown): ValidationResult<TaskInsert> {');
    expect(out).toContain('export function validateTaskUpdate(data: unknown): ValidationResult<TaskUpdate> {');
  });

  it('is deterministic', () => {
    expect(renderZodSchemas(structuredClone(catalog), { schemas: ['public'] })).toBe(out);
  });
});
