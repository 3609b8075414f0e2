/**
 * What a view's rule tree proves about its columns, as the Supabase CLI (postgres-meta) and PostgREST read it:
 *
 * - NOT NULL: a view column is NOT NULL when its expression is a plain column reference that leads — through joins
 *   (not from the nullable side of an outer join), subqueries, GROUP BY and non-recursive CTEs, and through other
 *   views — to a NOT NULL table column (or a column of a NOT NULL domain). A query with UNION/INTERSECT/EXCEPT or
 *   GROUPING SETS proves nothing. A view column whose comment is a line `@notNull` is NOT NULL as well.
 * - Origins: each view column's origin table column (`resorigtbl`/`resorigcol` of its target entry), followed through
 *   views of the exported schemas, so foreign keys and primary keys can be traced through views (relationships).
 *
 * @example
 * const notNull = viewNotNullColumns(facts.views); // Map: view oid → Set of column names
 */
import type { TypegenView } from '../../core/catalog/read-typegen.js';
import { isNode, listOf, parseNodeTree, type PgNode, type PgValue } from './pg-node-tree.js';

// RangeTblEntry.rtekind (RTE_GROUP is PostgreSQL 18's) and JoinExpr.jointype, as nodeToString writes the enums.
const RTE_RELATION = '0';
const RTE_SUBQUERY = '1';
const RTE_JOIN = '2';
const RTE_CTE = '6';
const RTE_GROUP = '9';
const JOIN_INNER = '0';
const JOIN_LEFT = '1';
const JOIN_RIGHT = '3';

const NOT_NULL_COMMENT = /^\s*@notNull\s*$/m;

function firstQuery(tree: string): PgNode | undefined {
  const root = parseNodeTree(tree);
  const q = Array.isArray(root) ? root[0] : root;
  return isNode(q, 'QUERY') ? q : undefined;
}

/** No set operation and no grouping sets: its target entries can be followed to their sources. */
function isPlainQuery(q: PgNode): boolean {
  return q.fields.setOperations === null && listOf(q.fields.groupingSets).length === 0;
}

/** Range-table indexes on the nullable side of an outer join (and joins nested there). */
function nullableRtis(q: PgNode): Set<number> {
  const out = new Set<number>();
  const walk = (n: PgValue | undefined, nullable: boolean): void => {
    if (isNode(n, 'RANGETBLREF')) {
      if (nullable) out.add(Number(n.fields.rtindex));
    } else if (isNode(n, 'FROMEXPR')) {
      for (const item of listOf(n.fields.fromlist)) walk(item, nullable);
    } else if (isNode(n, 'JOINEXPR')) {
      const kind = n.fields.jointype;
      if (nullable) out.add(Number(n.fields.rtindex));
      walk(n.fields.larg, nullable || (kind !== JOIN_INNER && kind !== JOIN_LEFT));
      walk(n.fields.rarg, nullable || (kind !== JOIN_INNER && kind !== JOIN_RIGHT));
    }
  };
  walk(q.fields.jointree, false);
  return out;
}

/**
 * NOT NULL columns of every view in `views` (view OID → column names). Views are read through each other; a rule
 * tree that cannot be read proves nothing.
 */
export function viewNotNullColumns(views: TypegenView[]): Map<number, Set<string>> {
  const byOid = new Map(views.map((v) => [v.oid, v]));
  const notNullRefs = new Set(views.flatMap((v) => v.notNullRefs.map(([rel, att]) => `${rel}.${att}`)));
  const proven = new Map<number, Set<number>>();
  const nullableCache = new Map<PgNode, Set<number>>();
  const nullableOf = (q: PgNode) => {
    let s = nullableCache.get(q);
    if (!s) nullableCache.set(q, (s = nullableRtis(q)));
    return s;
  };
  const columnNotNull = (rel: number, att: number): boolean => (byOid.has(rel) ? provenOf(rel).has(att) : notNullRefs.has(`${rel}.${att}`));

  const exprNotNull = (expr: PgValue | undefined, stack: PgNode[]): boolean => {
    const q = stack[stack.length - 1];
    if (!q || !isNode(expr, 'VAR') || expr.fields.varlevelsup !== '0') return false;
    const rti = Number(expr.fields.varno);
    const att = Number(expr.fields.varattno);
    if (!(att > 0) || nullableOf(q).has(rti)) return false;
    const rte = listOf(q.fields.rtable)[rti - 1];
    if (!isNode(rte, 'RANGETBLENTRY')) return false;
    switch (rte.fields.rtekind) {
      case RTE_RELATION:
        return typeof rte.fields.relid === 'string' && columnNotNull(Number(rte.fields.relid), att);
      case RTE_SUBQUERY:
        return entryNotNull(rte.fields.subquery, att, stack);
      case RTE_JOIN:
        return exprNotNull(listOf(rte.fields.joinaliasvars)[att - 1], stack);
      case RTE_GROUP:
        return exprNotNull(listOf(rte.fields.groupexprs)[att - 1], stack);
      case RTE_CTE: {
        const up = Number(rte.fields.ctelevelsup);
        const owner = stack[stack.length - 1 - up];
        const cte = listOf(owner?.fields.cteList).find((c) => isNode(c, 'COMMONTABLEEXPR') && c.fields.ctename === rte.fields.ctename);
        return (
          isNode(cte) && cte.fields.cterecursive !== 'true' && entryNotNull(cte.fields.ctequery, att, stack.slice(0, stack.length - up))
        );
      }
      default:
        return false;
    }
  };

  const entryNotNull = (query: PgValue | undefined, resno: number, stack: PgNode[]): boolean => {
    if (!isNode(query, 'QUERY') || !isPlainQuery(query)) return false;
    const te = listOf(query.fields.targetList).find((t) => isNode(t, 'TARGETENTRY') && Number(t.fields.resno) === resno);
    return isNode(te) && exprNotNull(te.fields.expr, [...stack, query]);
  };

  function provenOf(oid: number): Set<number> {
    const known = proven.get(oid);
    if (known) return known;
    const out = new Set<number>();
    proven.set(oid, out); // a cycle proves nothing
    try {
      const q = firstQuery(byOid.get(oid)?.tree ?? '');
      if (q && isPlainQuery(q)) {
        for (const te of listOf(q.fields.targetList)) {
          if (isNode(te, 'TARGETENTRY') && te.fields.resjunk !== 'true' && exprNotNull(te.fields.expr, [q]))
            out.add(Number(te.fields.resno));
        }
      }
    } catch {
      out.clear();
    }
    return out;
  }

  const result = new Map<number, Set<string>>();
  for (const v of views) {
    const atts = provenOf(v.oid);
    result.set(v.oid, new Set(v.columns.filter((c) => atts.has(c.attnum) || NOT_NULL_COMMENT.test(c.comment ?? '')).map((c) => c.name)));
  }
  return result;
}

/** A view column and a column it comes from (directly, or through views of the exported schemas). */
export interface ViewColumnOrigin {
  viewOid: number;
  viewColumn: string;
  rel: number;
  attnum: number;
}

/**
 * Origins of the columns of the exported views: every step of the chain (a view column of a view over a view has
 * both the inner view's column and, followed on, the table's), as PostgREST's schema cache lists them.
 */
export function viewColumnOrigins(views: TypegenView[]): ViewColumnOrigin[] {
  const exported = views.filter((v) => v.exported);
  const direct = new Map<number, Map<number, [number, number]>>(); // view → resno → origin
  for (const v of exported) {
    const entries = new Map<number, [number, number]>();
    try {
      const q = firstQuery(v.tree);
      for (const te of listOf(q?.fields.targetList)) {
        if (!isNode(te, 'TARGETENTRY')) continue;
        const rel = Number(te.fields.resorigtbl);
        const col = Number(te.fields.resorigcol);
        if (rel > 0 && col > 0) entries.set(Number(te.fields.resno), [rel, col]);
      }
    } catch {
      entries.clear();
    }
    direct.set(v.oid, entries);
  }
  const out: ViewColumnOrigin[] = [];
  for (const v of exported) {
    for (const c of v.columns) {
      let origin = direct.get(v.oid)?.get(c.attnum);
      const seen = new Set<number>([v.oid]);
      while (origin) {
        out.push({ viewOid: v.oid, viewColumn: c.name, rel: origin[0], attnum: origin[1] });
        if (seen.has(origin[0])) break;
        seen.add(origin[0]);
        origin = direct.get(origin[0])?.get(origin[1]);
      }
    }
  }
  return out;
}
