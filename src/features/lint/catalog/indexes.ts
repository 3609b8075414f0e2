/**
 * Keys and indexes (splinter 0001, 0004, 0009): foreign keys without a covering index, indexes that duplicate
 * another, tables without a primary key.
 *
 * Index definitions are read with the real Postgres parser (pg_get_indexdef output), so two indexes compare on
 * everything the definition says: method, key columns and expressions, their order, direction, operator classes
 * and collations, INCLUDE columns, predicate, uniqueness and NULLS NOT DISTINCT; only the name is left out.
 */
import type { IndexElem, IndexStmt } from 'libpg-query';
import type { Constraint, Index, Table } from '../../../core/catalog/index.js';
import type { LintContext, RuleSet } from '../context.js';
import type { Finding, RuleInfo } from '../finding.js';
import { isUserSchema, listing, parseOne, qualified, quoteIdent } from './shared.js';

const rules: RuleInfo[] = [
  {
    id: 'unindexed_foreign_keys',
    level: 'info',
    category: 'performance',
    summary: "A foreign key has no covering index (a plain btree index whose leading columns are the key's columns, in order).",
  },
  {
    id: 'duplicate_index',
    level: 'warn',
    category: 'performance',
    summary: 'Two indexes of a table have the same definition apart from their names.',
  },
  {
    id: 'no_primary_key',
    level: 'info',
    category: 'performance',
    summary: 'A table has no primary key.',
  },
];

interface ParsedIndex {
  index: Index;
  stmt: IndexStmt;
}

const parsedCache = new WeakMap<Index, IndexStmt | null>();

function parseIndex(index: Index): IndexStmt | null {
  let stmt = parsedCache.get(index);
  if (stmt === undefined) {
    const node = parseOne(index.definition, `index ${index.name}`);
    stmt = node && 'IndexStmt' in node ? node.IndexStmt : null;
    parsedCache.set(index, stmt);
  }
  return stmt;
}

function parsedIndexes(t: { indexes: Index[] }): ParsedIndex[] {
  return t.indexes.flatMap((index) => {
    const stmt = parseIndex(index);
    return stmt ? [{ index, stmt }] : [];
  });
}

/** Plain column names of the key (not INCLUDE) columns, in order; null for a key that is an expression. */
function keyColumnNames(stmt: IndexStmt): (string | null)[] {
  return (stmt.indexParams ?? []).map((p) => (p as { IndexElem?: IndexElem }).IndexElem?.name ?? null);
}

/**
 * Does this index serve lookups by the foreign key's columns? Only a btree without a predicate qualifies (a partial
 * index does not cover every row; hash, gin, gist cannot serve a multi-column equality lookup the same way), and its
 * leading key columns must be exactly the key's columns IN THE KEY'S ORDER.
 *
 * Order inside the prefix: for the equality lookups that ON DELETE / ON UPDATE checks run, a btree on (b, a) would
 * serve a key (a, b) just as well. Keel still asks for the key's order, as splinter does (it compares the column
 * arrays as they are): the two linters then agree on every key, the remediation's CREATE INDEX is unambiguous, and
 * the message names the permuted index so the user can judge (and suppress with a reason).
 */
function covers(stmt: IndexStmt, fk: Constraint): boolean {
  if ((stmt.accessMethod ?? 'btree') !== 'btree' || stmt.whereClause) return false;
  const keys = keyColumnNames(stmt);
  return fk.columns.length <= keys.length && fk.columns.every((c, i) => keys[i] === c);
}

/** Same columns as the key in another order as its leading columns (reported, not accepted; see `covers`). */
function permutedCover(stmt: IndexStmt, fk: Constraint): boolean {
  if ((stmt.accessMethod ?? 'btree') !== 'btree' || stmt.whereClause) return false;
  const lead = keyColumnNames(stmt).slice(0, fk.columns.length);
  return lead.length === fk.columns.length && [...lead].sort().join('\u0000') === [...fk.columns].sort().join('\u0000');
}

function unindexedForeignKeys(t: Table): Finding[] {
  const indexes = parsedIndexes(t);
  const name = qualified(t.schema, t.name);
  return t.constraints
    .filter((c) => c.type === 'f' && c.columns.length > 0)
    .filter((fk) => !indexes.some((i) => covers(i.stmt, fk)))
    .map((fk) => {
      const cols = fk.columns.map(quoteIdent).join(', ');
      const permuted = indexes.filter((i) => permutedCover(i.stmt, fk)).map((i) => i.index.name);
      const note =
        permuted.length > 0
          ? ` (${listing(permuted)} has these columns in another order; Keel, like splinter, asks for the key's order)`
          : '';
      const target = fk.references ? ` to ${qualified(fk.references.schema, fk.references.table)}` : '';
      return {
        rule: 'unindexed_foreign_keys',
        level: 'info' as const,
        object: `${name}.${quoteIdent(fk.name)}`,
        objectKind: 'constraint' as const,
        message: `foreign key ${fk.name} on ${name} (${cols})${target} has no covering index${note}: deletes and key updates on the referenced table scan ${name}`,
        remediation: `create index on ${name} (${cols});`,
        source: { kind: 'constraint' as const, schema: t.schema, table: t.name, name: fk.name },
      };
    });
}

/** The parse tree of an index definition without its name and source offsets: equal for identical definitions. */
function definitionKey(stmt: IndexStmt): string {
  return JSON.stringify({ ...stmt, idxname: undefined }, (k, v: unknown) => (k === 'location' ? undefined : v));
}

/** Which index of a duplicate group to keep: the primary key, then a constraint's index, then the first by name. */
function keepOrder(a: Index, b: Index): number {
  const rank = (i: Index) => (i.primary ? 0 : i.constraint ? 1 : 2);
  return rank(a) - rank(b) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

function duplicateIndexes(rel: { schema: string; name: string; indexes: Index[] }, relKind: 'table' | 'materialized view'): Finding[] {
  const groups = new Map<string, Index[]>();
  for (const { index, stmt } of parsedIndexes(rel)) {
    const key = definitionKey(stmt);
    groups.set(key, [...(groups.get(key) ?? []), index]);
  }
  const relName = qualified(rel.schema, rel.name);
  const out: Finding[] = [];
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const [keep, ...extra] = [...group].sort(keepOrder);
    for (const dup of extra) {
      const dupName = qualified(rel.schema, dup.name);
      const remediation = dup.constraint
        ? `alter table ${relName} drop constraint ${quoteIdent(dup.constraint)}; (its index ${dup.name} duplicates ${keep!.name})`
        : `drop index ${dupName};`;
      out.push({
        rule: 'duplicate_index',
        level: 'warn',
        object: dupName,
        objectKind: 'index',
        message: `index ${dupName} on ${relKind} ${relName} has the same definition as ${qualified(rel.schema, keep!.name)}: every write maintains both and only one is ever needed`,
        remediation,
        source: dup.constraint
          ? { kind: 'constraint', schema: rel.schema, table: rel.name, name: dup.constraint }
          : { kind: 'index', schema: rel.schema, name: dup.name },
      });
    }
  }
  return out;
}

function noPrimaryKey(t: Table): Finding | undefined {
  if (t.constraints.some((c) => c.type === 'p') || t.indexes.some((i) => i.primary)) return undefined;
  const name = qualified(t.schema, t.name);
  return {
    rule: 'no_primary_key',
    level: 'info',
    object: name,
    objectKind: 'table',
    message: `table ${name} has no primary key: rows cannot be addressed one by one (updates from the API, replication and many tools need one)`,
    remediation: `alter table ${name} add primary key (<unique not-null columns>); or alter table ${name} add column id bigint generated always as identity primary key;`,
    source: { kind: 'table', schema: t.schema, name: t.name },
  };
}

function check(ctx: LintContext): Finding[] {
  const out: Finding[] = [];
  for (const t of ctx.catalog.tables) {
    if (!isUserSchema(t.schema)) continue;
    out.push(...unindexedForeignKeys(t), ...duplicateIndexes(t, 'table'));
    const pk = noPrimaryKey(t);
    if (pk) out.push(pk);
  }
  for (const m of ctx.catalog.materializedViews) {
    if (isUserSchema(m.schema)) out.push(...duplicateIndexes(m, 'materialized view'));
  }
  return out;
}

export const indexRules: RuleSet = { rules, check };
