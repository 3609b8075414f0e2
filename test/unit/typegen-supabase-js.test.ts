import { describe, expect, it } from 'vitest';
import type { Catalog, Column, Constraint, Routine, Table } from '../../src/core/catalog/index.js';
import { renderSupabaseTypes } from '../../src/features/typegen/supabase-js.js';
import { arrayOf, parsePgType, pgToTs, quoteKey, resolvePgType } from '../../src/features/typegen/ts-names.js';

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

function constraint(name: string, type: Constraint['type'], columns: string[], references: Constraint['references'] = null): Constraint {
  return {
    name,
    type,
    definition: '',
    columns,
    references,
    deferrable: false,
    initiallyDeferred: false,
    validated: true,
    enforced: true,
    comment: null,
  };
}

function table(name: string, columns: Column[], constraints: Constraint[] = []): Table {
  const cols = columns.map((c, i) => ({ ...c, ordinal: i + 1 }));
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
    columns: cols,
    constraints,
    indexes: [],
    grants: [],
  };
}

function fn(name: string, args: Routine['arguments'], returnType: string, returnsSet = false): Routine {
  return {
    schema: 'public',
    name,
    kind: 'function',
    identityArgs: args.map((a) => `${a.name} ${a.type}`).join(', '),
    arguments: args,
    returnType,
    returnsSet,
    language: 'sql',
    volatility: 'stable',
    securityDefiner: false,
    strict: false,
    config: [],
    body: '',
    definition: null,
    comment: null,
    grants: [],
  };
}

const fk = (target: string, columns: string[]) => ({
  schema: 'public',
  table: target,
  columns,
  onUpdate: 'no action' as const,
  onDelete: 'cascade' as const,
  match: 'simple' as const,
});

const CATALOG: Catalog = {
  schemas: [{ name: 'public', comment: null }],
  extensions: [],
  enums: [{ schema: 'public', name: 'task_status', values: ['todo', 'doing', 'done'], comment: null }],
  domains: [
    {
      schema: 'public',
      name: 'money_amount',
      baseType: 'numeric(12,2)',
      notNull: false,
      default: null,
      collation: null,
      checks: [],
      comment: null,
    },
  ],
  composites: [],
  tables: [
    table(
      'projects',
      [col('id', 'uuid', { default: 'gen_random_uuid()' }), col('name', 'text')],
      [constraint('projects_pkey', 'p', ['id'])],
    ),
    table(
      'tasks',
      [
        col('id', 'bigint', { identity: 'a' }),
        col('project_id', 'uuid'),
        col('title', 'character varying(80)'),
        col('status', 'public.task_status', { default: "'todo'::public.task_status" }),
        col('note', 'text', { nullable: true }),
        col('position', 'integer', { identity: 'd' }),
        col('budget', 'public.money_amount', { nullable: true }),
        col('title_length', 'integer', { generated: 'length((title)::text)', generatedKind: 'stored', nullable: true }),
        col('tags', 'text[]', { default: "'{}'::text[]" }),
        col('meta', 'jsonb'),
        col('due_at', 'timestamp with time zone', { nullable: true }),
        col('my-col', 'boolean', { nullable: true }),
      ],
      [constraint('tasks_pkey', 'p', ['id']), constraint('tasks_project_id_fkey', 'f', ['project_id'], fk('projects', ['id']))],
    ),
  ],
  views: [],
  materializedViews: [],
  sequences: [],
  functions: [
    fn(
      'count_tasks',
      [
        { name: 'p_project', mode: 'in', type: 'uuid', hasDefault: false },
        { name: 'p_status', mode: 'in', type: 'public.task_status', hasDefault: true },
      ],
      'bigint',
    ),
    fn('touch', [], 'trigger'),
  ],
  triggers: [],
  policies: [],
};

const EXPECTED_DATABASE = `export type Database = {
  public: {
    Tables: {
      projects: {
        Row: {
          id: string
          name: string
        }
        ComputedFields: never
        Insert: {
          id?: string
          name: string
        }
        Update: {
          id?: string
          name?: string
        }
        Relationships: []
      }
      tasks: {
        Row: {
          budget: number | null
          due_at: string | null
          id: number
          meta: NonNullable<Json>
          "my-col": boolean | null
          note: string | null
          position: number
          project_id: string
          status: Database["public"]["Enums"]["task_status"]
          tags: string[]
          title: string
          title_length: number | null
        }
        ComputedFields: never
        Insert: {
          budget?: number | null
          due_at?: string | null
          id?: never
          meta: NonNullable<Json>
          "my-col"?: boolean | null
          note?: string | null
          position?: number
          project_id: string
          status?: Database["public"]["Enums"]["task_status"]
          tags?: string[]
          title: string
          title_length?: never
        }
        Update: {
          budget?: number | null
          due_at?: string | null
          id?: never
          meta?: NonNullable<Json>
          "my-col"?: boolean | null
          note?: string | null
          position?: number
          project_id?: string
          status?: Database["public"]["Enums"]["task_status"]
          tags?: string[]
          title?: string
          title_length?: never
        }
        Relationships: [
          {
            foreignKeyName: "tasks_project_id_fkey"
            columns: ["project_id"]
            isOneToOne: false
            referencedRelation: "projects"
            referencedColumns: ["id"]
          },
        ]
      }
    }
    Views: {
      [_ in never]: never
    }
    Functions: {
      count_tasks: {
        Args: {
          p_project: string
          p_status?: Database["public"]["Enums"]["task_status"]
        }
        Returns: number
      }
    }
    Enums: {
      task_status: "todo" | "doing" | "done"
    }
    CompositeTypes: {
      [_ in never]: never
    }
  }
}
`;

const EXPECTED_CONSTANTS = `export const Constants = {
  public: {
    Enums: {
      task_status: ["todo", "doing", "done"],
    },
  },
} as const
`;

describe('renderSupabaseTypes', () => {
  const out = renderSupabaseTypes(CATALOG, { schemas: ['public'] });

  it('renders Json, the Database type, the CLI helper types and Constants, exactly', () => {
    expect(
      out.startsWith(
        'export type Json =\n  | string\n  | number\n  | boolean\n  | null\n  | { [key: string]: Json | undefined }\n  | Json[]\n',
      ),
    ).toBe(true);
    const start = out.indexOf('export type Database = ');
    const end = out.indexOf('\ntype DatabaseWithoutInternals');
    expect(out.slice(start, end)).toBe(EXPECTED_DATABASE);
    for (const helper of ['Tables', 'TablesInsert', 'TablesUpdate', 'Enums', 'CompositeTypes'])
      expect(out).toContain(`export type ${helper}<`);
    expect(out.endsWith(EXPECTED_CONSTANTS)).toBe(true);
  });

  it('is deterministic and independent of catalog order', () => {
    const shuffled: Catalog = { ...CATALOG, tables: [...CATALOG.tables].reverse(), functions: [...CATALOG.functions].reverse() };
    expect(renderSupabaseTypes(shuffled, { schemas: ['public'] })).toBe(out);
  });

  it('emits an empty schema, and overloads as a union', () => {
    const withOverload: Catalog = {
      ...CATALOG,
      functions: [
        ...CATALOG.functions,
        fn('count_tasks', [{ name: 'p_title', mode: 'in', type: 'text', hasDefault: false }], 'integer', true),
      ],
    };
    const text = renderSupabaseTypes(withOverload, { schemas: ['public', 'api'] });
    expect(text).toContain('  api: {\n    Tables: {\n      [_ in never]: never\n    }');
    expect(text).toContain(
      [
        '      count_tasks:',
        '        | {',
        '            Args: {',
        '              p_project: string',
        '              p_status?: Database["public"]["Enums"]["task_status"]',
        '            }',
        '            Returns: number',
        '          }',
        '        | {',
        '            Args: {',
        '              p_title: string',
        '            }',
        '            Returns: number[]',
        '          }',
      ].join('\n'),
    );
  });
});

describe('ts-names', () => {
  it('quotes keys only when needed', () => {
    expect(quoteKey('user_id')).toBe('user_id');
    expect(quoteKey('$x1')).toBe('$x1');
    expect(quoteKey('my-col')).toBe('"my-col"');
    expect(quoteKey('1st')).toBe('"1st"');
    expect(quoteKey('')).toBe('""');
  });

  it('parses format_type text', () => {
    expect(parsePgType('character varying(255)')).toEqual({
      schema: null,
      name: 'character varying',
      canonical: 'varchar',
      modifiers: [255],
      isArray: false,
    });
    expect(parsePgType('numeric(12,2)[]')).toMatchObject({ canonical: 'numeric', modifiers: [12, 2], isArray: true });
    expect(parsePgType('timestamp(3) with time zone')).toMatchObject({ canonical: 'timestamptz', modifiers: [3] });
    expect(parsePgType('public."Weird Type"[]')).toMatchObject({ schema: 'public', name: 'Weird Type', isArray: true });
    expect(parsePgType('"char"')).toMatchObject({ canonical: 'char' });
    expect(parsePgType('interval year to month')).toMatchObject({ canonical: 'interval' });
  });

  it('maps Postgres types to TypeScript', () => {
    const ts = (t: string) => pgToTs(t, CATALOG, { schemas: ['public'] });
    expect(['smallint', 'integer', 'bigint', 'real', 'double precision', 'numeric(10,2)'].map(ts)).toEqual(Array(6).fill('number'));
    expect(
      [
        'text',
        'character varying(3)',
        'character(2)',
        'uuid',
        'date',
        'time without time zone',
        'timestamp without time zone',
        'timestamp with time zone',
        'interval',
        'inet',
        'bytea',
      ].map(ts),
    ).toEqual(Array(11).fill('string'));
    expect(ts('boolean')).toBe('boolean');
    expect(ts('jsonb')).toBe('Json');
    expect(ts('json[]')).toBe('Json[]');
    expect(ts('public.task_status[]')).toBe('Database["public"]["Enums"]["task_status"][]');
    expect(ts('public.money_amount')).toBe('number');
    expect(ts('public.tasks')).toBe('Database["public"]["Tables"]["tasks"]["Row"]');
    expect(ts('tsvector')).toBe('unknown');
    expect(pgToTs('public.task_status', CATALOG, { enumStyle: 'union' })).toBe('"todo" | "doing" | "done"');
    expect(pgToTs('public.task_status', CATALOG, { schemas: ['api'] })).toBe('"todo" | "doing" | "done"');
    expect(pgToTs('timestamp with time zone', CATALOG, { overrides: { timestamptz: 'Date' } })).toBe('Date');
    expect(resolvePgType('public.money_amount', CATALOG)).toMatchObject({ kind: 'domain', base: { kind: 'scalar', canonical: 'numeric' } });
    expect(arrayOf('"a" | "b"')).toBe('("a" | "b")[]');
    expect(arrayOf('Record<string, unknown>')).toBe('Record<string, unknown>[]');
  });
});
