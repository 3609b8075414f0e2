/**
 * The schema part of a backup: SQL that recreates what Keel's catalog model knows, in an order that applies on an
 * empty database that already has the Supabase shim (roles anon/authenticated/service_role, `auth`, `extensions`).
 */
import type {
  Catalog,
  Column,
  CompositeType,
  Constraint,
  DomainType,
  Grant,
  MaterializedView,
  Policy,
  Publication,
  Routine,
  Sequence,
  Table,
  Trigger,
  View,
} from '../../core/catalog/index.js';
import { PROTECTED_SCHEMAS } from '../migrate/reset.js';
import { qualify, quoteIdent, quoteLiteral } from './quote.js';
import { orderViews } from './view-order.js';
import { renderSchemaPrivileges, type SchemaPrivileges } from './schema-acl.js';

export interface RenderSchemaOptions {
  /**
   * Only objects in these schemas. Default: every schema in the catalog but those Postgres, Supabase, the shim and
   * Keel manage (`auth`, `extensions`, `storage`, `supabase_migrations`, `keel`, …: reset's PROTECTED_SCHEMAS), which
   * the target has already.
   */
  schemas?: string[];
  /**
   * server_version_num of the database the SQL is for, when it is not the source's: before 17 (170000) the MAINTAIN
   * privilege, which PG 17+ ACLs carry, is left out of the grants.
   */
  targetVersion?: number;
  /**
   * The schemas' ACLs (readSchemaPrivileges; the catalog model has none): stated in the grants section so that each
   * schema's ACL on the target equals the source's, `public` (which a restore does not create) included.
   */
  schemaPrivileges?: SchemaPrivileges[];
}

/** Schemas the Supabase shim (or Supabase itself) provides and marks with its comment: left uncommented. */
const SHIM_SCHEMAS = new Set(['auth', 'extensions']);

/**
 * Roles that may hold privileges the restore did not ask for: PUBLIC (functions get EXECUTE by default) and the API
 * roles (the shim's default privileges in `public`). Every object's ACL is revoked from them before its grants are
 * stated, so the restored ACL equals the source's.
 */
const DEFAULT_GRANTEES = ['PUBLIC', 'anon', 'authenticated', 'service_role'];

/**
 * SQL that recreates the catalog's objects, in dependency order: schemas, extensions, enums, domains, composite
 * types, functions whose signatures name no relation, sequences, tables (columns, defaults, identity, generated
 * columns, primary key, unique, check and exclusion constraints), sequence ownership, foreign keys and constraints
 * not validated (`NOT VALID` kept), indexes, functions that name a table or have a SQL-standard body, views and
 * materialized views (in the order their definitions read each other; materialized views `WITH NO DATA`), functions
 * that name a view, triggers (with their enabled state), RLS flags, policies, publications (created where missing,
 * member tables added), grants and comments. Domains are created bare and get their defaults and checks after the
 * first functions, which those may call.
 *
 * Apply it with one `exec` (it starts with `set check_function_bodies = off`, as pg_dump's output does, so
 * function bodies may name tables created later). Needs the SQL parser loaded (`await ensureParser()`) to order
 * views. The `set`s are session settings: run it in a transaction with its own session, or reset them afterwards.
 * Grants are stated literally, the owner's included, so the restoring role should be the source's owner (`postgres`
 * on both engines here). Not rendered, because the catalog does not model them: sequence current values (a separate
 * step), aggregates and window functions (no definition), column privileges, default privileges and event triggers.
 * Schema privileges are rendered when `schemaPrivileges` gives them. A PG 18 source with virtual generated columns or NOT ENFORCED constraints does not
 * apply on older servers (the statement fails; nothing is silently changed).
 *
 * @example
 * await ensureParser();
 * const sql = renderSchemaSql(await readCatalog(engine, { schemas: ['public'] }));
 * await target.transaction(async (tx) => { await installShim(tx); await tx.exec(sql); });
 */
export function renderSchemaSql(catalog: Catalog, opts: RenderSchemaOptions = {}): string {
  const wanted = new Set(opts.schemas ?? catalog.schemas.map((s) => s.name).filter((s) => !PROTECTED_SCHEMAS.includes(s)));
  const keep = <T extends { schema: string }>(items: T[]): T[] => items.filter((i) => wanted.has(i.schema));
  const schemas = catalog.schemas.filter((s) => wanted.has(s.name));
  const tables = orderTables(keep(catalog.tables));
  const views = keep(catalog.views);
  const matviews = keep(catalog.materializedViews);
  const sequences = keep(catalog.sequences);
  const functions = keep(catalog.functions).filter((f) => f.definition !== null);
  const relationKind = new Map<string, 'table' | 'view'>();
  for (const t of catalog.tables) relationKind.set(qualify(t.schema, t.name), 'table');
  for (const v of [...catalog.views, ...catalog.materializedViews]) relationKind.set(qualify(v.schema, v.name), 'view');
  const phaseOf = (f: Routine): 0 | 1 | 2 => {
    const types = [f.returnType ?? '', ...f.arguments.map((a) => a.type)].map((t) => t.replace(/(\[\])+$/, ''));
    const kinds = types.map((t) => relationKind.get(t));
    if (kinds.includes('view')) return 2;
    if (kinds.includes('table') || isStandardSqlBody(f)) return 1;
    return 0;
  };

  const out: string[] = [
    '-- Schema written by Keel from its catalog model.',
    'set check_function_bodies = off;',
    'set client_min_messages = warning;',
  ];
  const section = (title: string, lines: string[]) => {
    if (lines.length) out.push('', `-- ${title}`, ...lines);
  };

  section(
    'schemas',
    schemas.flatMap((s) => [
      `create schema if not exists ${quoteIdent(s.name)};`,
      // `public` comes with a comment ('standard public schema') that a reset may have dropped: state it either way.
      ...(SHIM_SCHEMAS.has(s.name) ? [] : commentOrNull(`schema ${quoteIdent(s.name)}`, s.comment)),
    ]),
  );
  section('extensions', [
    ...[...new Set(catalog.extensions.map((e) => e.schema))]
      .filter((s) => s !== 'pg_catalog' && !schemas.some((x) => x.name === s))
      .map((s) => `create schema if not exists ${quoteIdent(s)};`),
    ...catalog.extensions
      .filter((e) => e.name !== 'plpgsql')
      .map((e) => `create extension if not exists ${quoteIdent(e.name)} with schema ${quoteIdent(e.schema)};`),
  ]);
  section(
    'enums',
    keep(catalog.enums).flatMap((e) => [
      `create type ${qualify(e.schema, e.name)} as enum (${e.values.map(quoteLiteral).join(', ')});`,
      ...comment(`type ${qualify(e.schema, e.name)}`, e.comment),
    ]),
  );
  // Domains and composite types may be built on each other: each after the types it names. A domain's default and
  // CHECKs may call the project's functions (`check (public.is_slug(value))`), which may in turn take the domain as an
  // argument: the domain is created bare, and its default and checks are added once the functions exist.
  const renderDomain = (d: DomainType) => [
    `create domain ${qualify(d.schema, d.name)} as ${d.baseType}` +
      (d.collation ? ` collate ${d.collation}` : '') +
      (d.notNull ? ' not null' : '') +
      ';',
    ...comment(`domain ${qualify(d.schema, d.name)}`, d.comment),
  ];
  const domainConstraints = (d: DomainType) => [
    ...(d.default !== null ? [`alter domain ${qualify(d.schema, d.name)} set default ${d.default};`] : []),
    ...d.checks.map((c) => `alter domain ${qualify(d.schema, d.name)} add constraint ${quoteIdent(c.name)} ${c.definition};`),
  ];
  const renderComposite = (c: CompositeType) => [
    `create type ${qualify(c.schema, c.name)} as (${c.attributes
      .map((a) => `${quoteIdent(a.name)} ${a.type}${a.collation ? ` collate ${a.collation}` : ''}`)
      .join(', ')});`,
    ...comment(`type ${qualify(c.schema, c.name)}`, c.comment),
  ];
  const types = [
    ...keep(catalog.domains).map((d) => ({
      key: qualify(d.schema, d.name),
      uses: [d.baseType],
      lines: () => renderDomain(d),
      domain: d as DomainType | undefined,
    })),
    ...keep(catalog.composites).map((c) => ({
      key: qualify(c.schema, c.name),
      uses: c.attributes.map((a) => a.type),
      lines: () => renderComposite(c),
      domain: undefined,
    })),
  ];
  section(
    'domains and composite types',
    orderByUse(types).flatMap((t) => t.lines()),
  );
  section('functions', functions.filter((f) => phaseOf(f) === 0).flatMap(renderFunction));
  section(
    'domain defaults and checks',
    orderByUse(types).flatMap((t) => (t.domain ? domainConstraints(t.domain) : [])),
  );

  const identitySeqs = new Map<string, Sequence>();
  for (const s of sequences)
    if (s.ownedBy?.identity) identitySeqs.set(`${qualify(s.ownedBy.schema, s.ownedBy.table)}.${quoteIdent(s.ownedBy.column)}`, s);
  section(
    'sequences',
    sequences
      .filter((s) => !s.ownedBy?.identity)
      .map((s) => `create sequence ${qualify(s.schema, s.name)} as ${s.type} ${sequenceOptions(s)};`),
  );
  const byName = new Map(tables.map((t) => [`${t.schema}.${t.name}`, t]));
  section(
    'tables',
    tables.flatMap((t) => renderTable(t, identitySeqs)),
  );
  section(
    'sequence ownership',
    sequences
      .filter((s) => s.ownedBy && !s.ownedBy.identity)
      .map(
        (s) =>
          `alter sequence ${qualify(s.schema, s.name)} owned by ${qualify(s.ownedBy!.schema, s.ownedBy!.table)}.${quoteIdent(s.ownedBy!.column)};`,
      ),
  );
  // Keys come after the data, as pg_restore adds them: one sorted index build instead of a million random inserts.
  section(
    'primary keys and unique constraints',
    tables.flatMap((t) =>
      t.constraints
        .filter((c) => isKey(t, c))
        .map((c) => `alter table ${qualify(t.schema, t.name)} add constraint ${quoteIdent(c.name)} ${c.definition};`),
    ),
  );
  section(
    'foreign keys and constraints added not valid',
    tables.flatMap((t) =>
      t.constraints
        .filter((c) => !inline(t, c) && !isKey(t, c) && !inherited(t, c, byName))
        .map((c) => `alter table ${qualify(t.schema, t.name)} add constraint ${quoteIdent(c.name)} ${notValid(c)};`),
    ),
  );
  section('indexes', renderIndexes(tables));
  section('functions that name a table', functions.filter((f) => phaseOf(f) === 1).flatMap(renderFunction));
  const viewSet = new Set<View>(matviews);
  section(
    'views and materialized views',
    orderViews<View>([...views, ...matviews]).flatMap((v) => (viewSet.has(v) ? renderMatview(v as MaterializedView) : renderView(v))),
  );
  section('functions that name a view', functions.filter((f) => phaseOf(f) === 2).flatMap(renderFunction));
  section(
    'triggers',
    keep(catalog.triggers).flatMap((t) => renderTrigger(t)),
  );
  section(
    'row level security',
    tables.flatMap((t) => [
      ...(t.rlsEnabled ? [`alter table ${qualify(t.schema, t.name)} enable row level security;`] : []),
      ...(t.rlsForced ? [`alter table ${qualify(t.schema, t.name)} force row level security;`] : []),
    ]),
  );
  section(
    'policies',
    keep(catalog.policies).flatMap((p) => renderPolicy(p)),
  );
  section('publications', renderPublications(catalog.publications ?? [], wanted));
  const grantable = (grants: Grant[]) =>
    opts.targetVersion !== undefined && opts.targetVersion < 170000 ? grants.filter((g) => g.privilege !== 'MAINTAIN') : grants;
  const grantLines = (on: string, grants: Grant[]) => renderGrants(on, grantable(grants));
  section('grants', [
    ...(opts.schemaPrivileges ?? []).filter((p) => wanted.has(p.schema)).flatMap(renderSchemaPrivileges),
    ...tables.flatMap((t) => grantLines(`table ${qualify(t.schema, t.name)}`, t.grants)),
    ...[...views, ...matviews].flatMap((v) => grantLines(`table ${qualify(v.schema, v.name)}`, v.grants)),
    ...sequences.flatMap((s) => grantLines(`sequence ${qualify(s.schema, s.name)}`, s.grants)),
    ...functions.flatMap((f) => grantLines(`${f.kind === 'procedure' ? 'procedure' : 'function'} ${routineSignature(f)}`, f.grants)),
  ]);
  section('comments on sequences, constraints and indexes', [
    ...sequences.flatMap((s) => comment(`sequence ${qualify(s.schema, s.name)}`, s.comment)),
    ...tables.flatMap((t) => [
      ...t.constraints.flatMap((c) => comment(`constraint ${quoteIdent(c.name)} on ${qualify(t.schema, t.name)}`, c.comment)),
      ...indexComments(
        t.schema,
        t.indexes.filter((i) => i.constraint === null),
      ),
    ]),
  ]);
  return `${out.join('\n')}\n`;
}

/** CREATE TRIGGER, its enabled state and comment; `replace` drops a trigger of the same name first. */
export function renderTrigger(t: Trigger, o: { replace?: boolean } = {}): string[] {
  const on = qualify(t.schema, t.table);
  const state = { origin: null, disabled: 'disable', replica: 'enable replica', always: 'enable always' }[t.enabled];
  return [
    ...(o.replace ? [`drop trigger if exists ${quoteIdent(t.name)} on ${on};`] : []),
    `${t.definition};`,
    ...(state ? [`alter table ${on} ${state} trigger ${quoteIdent(t.name)};`] : []),
    ...comment(`trigger ${quoteIdent(t.name)} on ${on}`, t.comment),
  ];
}

/** CREATE POLICY and its comment; `replace` drops a policy of the same name first. */
export function renderPolicy(p: Policy, o: { replace?: boolean } = {}): string[] {
  const on = qualify(p.schema, p.table);
  return [
    ...(o.replace ? [`drop policy if exists ${quoteIdent(p.name)} on ${on};`] : []),
    `create policy ${quoteIdent(p.name)} on ${on} as ${p.permissive ? 'permissive' : 'restrictive'} for ${p.command}` +
      ` to ${p.roles.map(roleName).join(', ')}` +
      (p.using !== null ? ` using (${p.using})` : '') +
      (p.withCheck !== null ? ` with check (${p.withCheck})` : '') +
      ';',
    ...comment(`policy ${quoteIdent(p.name)} on ${on}`, p.comment),
  ];
}

/**
 * Publications and their member tables in the backup's schemas. The platform makes `supabase_realtime` and the
 * project adds tables to it, so a publication is created only where the target lacks it, its options are set to the
 * source's, and each table is added unless it is a member already: the statements apply on a fresh platform, on one
 * with the publication, and twice.
 */
function renderPublications(publications: Publication[], wanted: Set<string>): string[] {
  return publications.flatMap((p) => {
    const name = quoteIdent(p.name);
    const lit = quoteLiteral(p.name);
    const options = `publish = ${quoteLiteral(p.publish.join(', '))}, publish_via_partition_root = ${p.viaRoot}`;
    const tables = p.tables.filter((t) => wanted.has(t.schema));
    const schemas = p.schemas.filter((s) => wanted.has(s));
    const same = (['insert', 'update', 'delete', 'truncate'] as const).map((op) => `pub${op} = ${p.publish.includes(op)}`).join(' and ');
    return [
      // Options are set only where they differ: on Supabase only the publication's owner may alter it.
      `do $keel$ begin\n  if not exists (select 1 from pg_publication where pubname = ${lit}) then\n    create publication ${name}${p.allTables ? ' for all tables' : ''} with (${options});\n` +
        `  elsif not exists (select 1 from pg_publication where pubname = ${lit} and ${same} and pubviaroot = ${p.viaRoot}) then\n    alter publication ${name} set (${options});\n  end if;\nend $keel$;`,
      ...schemas.map(
        (s) =>
          `do $keel$ begin
  if not exists (select 1 from pg_publication_namespace pn join pg_publication p on p.oid = pn.pnpubid where p.pubname = ${lit} and pn.pnnspid = ${quoteLiteral(s)}::regnamespace) then
    alter publication ${name} add tables in schema ${quoteIdent(s)};
  end if;
end $keel$;`,
      ),
      ...tables.map((t) => {
        const rel = qualify(t.schema, t.table);
        const member = `${rel}${t.columns ? ` (${t.columns.map(quoteIdent).join(', ')})` : ''}${t.where !== null ? ` where (${t.where})` : ''}`;
        return `do $keel$ begin
  if not exists (select 1 from pg_publication_rel r join pg_publication p on p.oid = r.prpubid where p.pubname = ${lit} and r.prrelid = ${quoteLiteral(rel)}::regclass) then
    alter publication ${name} add table ${member};
  end if;
end $keel$;`;
      }),
      ...(p.comment !== null ? [`comment on publication ${name} is ${quoteLiteral(p.comment)};`] : []),
    ];
  });
}

/**
 * Items after the items whose key they use (a type name, with or without `[]` or a modifier); otherwise in order.
 */
function orderByUse<T extends { key: string; uses: string[] }>(items: T[]): T[] {
  const byKey = new Map(items.map((i) => [i.key, i]));
  const out: T[] = [];
  const seen = new Set<T>();
  const visit = (item: T) => {
    if (seen.has(item)) return;
    seen.add(item);
    for (const use of item.uses) {
      const dep = byKey.get(use.replace(/(\(.*\))?(\[\])*$/, ''));
      if (dep) visit(dep);
    }
    out.push(item);
  };
  for (const item of items) visit(item);
  return out;
}

/** `comment on <what> is '…';`, or nothing when there is no comment. */
function comment(what: string, text: string | null): string[] {
  return text === null ? [] : [`comment on ${what} is ${quoteLiteral(text)};`];
}

function commentOrNull(what: string, text: string | null): string[] {
  return [`comment on ${what} is ${text === null ? 'null' : quoteLiteral(text)};`];
}

function roleName(role: string): string {
  return role === 'PUBLIC' ? 'public' : quoteIdent(role);
}

/** A SQL-standard body (`BEGIN ATOMIC … END` or `RETURN …`) is parsed at creation, so what it names must exist. */
function isStandardSqlBody(f: Routine): boolean {
  return f.language === 'sql' && f.definition !== null && !/\nAS /.test(f.definition);
}

function routineSignature(f: Routine): string {
  return `${qualify(f.schema, f.name)}(${f.identityArgs})`;
}

function renderFunction(f: Routine): string[] {
  const kind = f.kind === 'procedure' ? 'procedure' : 'function';
  return [`${f.definition!.trimEnd()};`, ...comment(`${kind} ${routineSignature(f)}`, f.comment)];
}

function sequenceOptions(s: Sequence): string {
  return `start with ${s.start} increment by ${s.increment} minvalue ${s.min} maxvalue ${s.max} cache ${s.cache} ${s.cycle ? 'cycle' : 'no cycle'}`;
}

/** Parents before their partitions; otherwise the catalog's order. */
function orderTables(tables: Table[]): Table[] {
  const byKey = new Map(tables.map((t) => [`${t.schema}.${t.name}`, t]));
  const out: Table[] = [];
  const seen = new Set<Table>();
  const visit = (t: Table) => {
    if (seen.has(t)) return;
    seen.add(t);
    const parent = t.partitionOf && byKey.get(`${t.partitionOf.schema}.${t.partitionOf.table}`);
    if (parent) visit(parent);
    out.push(t);
  };
  for (const t of tables) visit(t);
  return out;
}

/** Written inside CREATE TABLE: validated checks (keys and foreign keys come later). */
function inline(t: Table, c: Constraint): boolean {
  return !t.partitionOf && c.type !== 'f' && c.validated && !isKey(t, c);
}

/**
 * A primary key, unique or exclusion constraint of a table that is not a partition: added after the data (section
 * 'primary keys and unique constraints'), before the foreign keys that need them. A partition's keys are its parent's.
 */
function isKey(t: Table, c: Constraint): boolean {
  return !t.partitionOf && (c.type === 'p' || c.type === 'u' || c.type === 'x') && c.validated;
}

/**
 * A partition's constraint that its parent has too (same name and definition): a check constraint is inherited by
 * every partition, and the catalog lists it there as well (unlike cloned keys and foreign keys, which it leaves out).
 */
function inherited(t: Table, c: Constraint, byName: Map<string, Table>): boolean {
  const parent = t.partitionOf && byName.get(`${t.partitionOf.schema}.${t.partitionOf.table}`);
  if (!parent) return false;
  return parent.constraints.some((p) => p.name === c.name && p.definition === c.definition) || inherited(parent, c, byName);
}

/** The definition, with NOT VALID when the constraint is not validated (pg_get_constraintdef prints it; kept sure). */
function notValid(c: Constraint): string {
  return !c.validated && !/\bNOT VALID\b/.test(c.definition) ? `${c.definition} NOT VALID` : c.definition;
}

/**
 * Indexes that back no constraint. Partitions' indexes come first, deepest partitions first; a partitioned table's
 * index is then created without ONLY, so it attaches the equivalent index of each partition (as the source had it)
 * instead of staying invalid, and creates it on a partition that has none.
 */
function renderIndexes(tables: Table[]): string[] {
  const byKey = new Map(tables.map((t) => [`${t.schema}.${t.name}`, t]));
  const depth = (t: Table): number => {
    let d = 0;
    for (let p = t.partitionOf; p && d < 100; p = byKey.get(`${p.schema}.${p.table}`)?.partitionOf ?? null) d++;
    return d;
  };
  const ordered = tables.map((t, i) => ({ t, i, d: depth(t) })).sort((a, b) => b.d - a.d || a.i - b.i);
  return ordered.flatMap(({ t }) =>
    t.indexes
      .filter((i) => i.constraint === null)
      .map((i) => `${t.kind === 'partitioned' ? i.definition.replace(/ ON ONLY /, ' ON ') : i.definition};`),
  );
}

function renderColumn(c: Column, identity: Sequence | undefined): string {
  let s = `${quoteIdent(c.name)} ${c.type}`;
  if (c.collation) s += ` collate ${c.collation}`;
  if (c.generated !== null) s += ` generated always as (${c.generated})${c.generatedKind === 'virtual' ? ' virtual' : ' stored'}`;
  else if (c.identity) {
    s += ` generated ${c.identity === 'a' ? 'always' : 'by default'} as identity`;
    if (identity) s += ` (sequence name ${qualify(identity.schema, identity.name)} ${sequenceOptions(identity)})`;
  } else if (c.default !== null) s += ` default ${c.default}`;
  if (!c.nullable) s += ' not null';
  return s;
}

function renderTable(t: Table, identitySeqs: Map<string, Sequence>): string[] {
  const name = qualify(t.schema, t.name);
  const lines: string[] = [];
  const unlogged = t.unlogged ? 'unlogged ' : '';
  if (t.partitionOf) {
    lines.push(
      `create ${unlogged}table ${name} partition of ${qualify(t.partitionOf.schema, t.partitionOf.table)} ${t.partitionOf.bound}${t.partitionKey ? ` partition by ${t.partitionKey}` : ''};`,
    );
    for (const c of t.columns) {
      // Partitions inherit columns; only what a partition may set differently is stated.
      if (c.default !== null && c.generated === null && !c.identity)
        lines.push(`alter table ${name} alter column ${quoteIdent(c.name)} set default ${c.default};`);
      if (!c.nullable) lines.push(`alter table ${name} alter column ${quoteIdent(c.name)} set not null;`);
    }
  } else {
    const items = [
      ...t.columns.map((c) => renderColumn(c, identitySeqs.get(`${name}.${quoteIdent(c.name)}`))),
      ...t.constraints.filter((c) => inline(t, c)).map((c) => `constraint ${quoteIdent(c.name)} ${c.definition}`),
    ];
    lines.push(`create ${unlogged}table ${name} (\n  ${items.join(',\n  ')}\n)${t.partitionKey ? ` partition by ${t.partitionKey}` : ''};`);
  }
  lines.push(...comment(`table ${name}`, t.comment));
  for (const c of t.columns) lines.push(...comment(`column ${name}.${quoteIdent(c.name)}`, c.comment));
  return lines;
}

function indexComments(schema: string, indexes: { name: string; comment: string | null }[]): string[] {
  return indexes.flatMap((i) => comment(`index ${qualify(schema, i.name)}`, i.comment));
}

function withOptions(v: View): string {
  return v.options.length ? ` with (${v.options.join(', ')})` : '';
}

function renderView(v: View): string[] {
  const name = qualify(v.schema, v.name);
  return [
    `create view ${name}${withOptions(v)} as ${v.definition.trim().replace(/;$/, '')};`,
    ...comment(`view ${name}`, v.comment),
    ...v.columns.flatMap((c) => comment(`column ${name}.${quoteIdent(c.name)}`, c.comment)),
  ];
}

/** WITH NO DATA: the schema only; a full backup's data step refreshes it. */
function renderMatview(v: MaterializedView): string[] {
  const name = qualify(v.schema, v.name);
  return [
    `create materialized view ${name}${withOptions(v)} as ${v.definition.trim().replace(/;$/, '')} with no data;`,
    ...v.indexes.map((i) => `${i.definition};`),
    ...comment(`materialized view ${name}`, v.comment),
    ...v.columns.flatMap((c) => comment(`column ${name}.${quoteIdent(c.name)}`, c.comment)),
    ...indexComments(v.schema, v.indexes),
  ];
}

/**
 * Revokes everything from the roles that may hold privileges by default (and from every grantee listed, the owner
 * included), then grants exactly the listed privileges, grouped by grantee.
 */
function renderGrants(on: string, grants: Grant[]): string[] {
  const grantees = [...new Set([...DEFAULT_GRANTEES, ...grants.map((g) => g.grantee)])];
  const lines = [`revoke all on ${on} from ${grantees.map(roleName).join(', ')};`];
  const groups = new Map<string, string[]>();
  for (const g of grants) {
    const key = `${g.grantee}\u0000${g.grantable ? '1' : ''}`;
    const list = groups.get(key) ?? [];
    list.push(g.privilege.toLowerCase());
    groups.set(key, list);
  }
  for (const [key, privileges] of groups) {
    const [grantee = '', grantable] = key.split('\u0000');
    lines.push(`grant ${privileges.join(', ')} on ${on} to ${roleName(grantee)}${grantable ? ' with grant option' : ''};`);
  }
  return lines;
}
