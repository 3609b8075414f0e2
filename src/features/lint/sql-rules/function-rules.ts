/**
 * Rules that read function bodies: parameters shadowed by columns (seed 000's `is_team_member(team_id uuid)`), and
 * security definer functions that read RLS tables with a search_path a caller can change.
 */
import type { Catalog, Routine } from '../../../core/catalog/index.js';
import { quoteIdent } from '../../../core/sql/quote.js';
import { functionSignature as functionSql } from '../catalog/shared.js';
import type { Finding, RuleInfo } from '../finding.js';
import { relationsNamed } from './ast.js';
import { readRoutineBody, type RoutineBody } from './function-body.js';
import { findShadowedParams } from './shadow.js';
import { configuredSearchPath, functionObject, functionSignature, isProjectSchema, listWords, relationResolver } from './shared.js';

export const FUNCTION_RULES: RuleInfo[] = [
  {
    id: 'function_param_shadows_column',
    level: 'error',
    category: 'correctness',
    summary:
      'A function parameter named like a column its query reads, used unqualified: in SQL functions the column wins (`team_id = team_id` is always true); in PL/pgSQL it is an ambiguous-reference error at run time (warn).',
  },
  {
    id: 'security_definer_bypasses_rls',
    level: 'warn',
    category: 'security',
    summary: "A security definer function reads tables that have RLS enabled (as its owner, bypassing RLS) without `set search_path = ''`.",
  },
];

interface ReadFunction {
  fn: Routine;
  body: RoutineBody;
}

/** The project's SQL and PL/pgSQL functions with their parsed bodies (functions whose body does not parse are skipped). */
export function readFunctions(catalog: Catalog): ReadFunction[] {
  return catalog.functions
    .filter(
      (fn) =>
        isProjectSchema(fn.schema) &&
        (fn.kind === 'function' || fn.kind === 'procedure') &&
        (fn.language === 'sql' || fn.language === 'plpgsql'),
    )
    .flatMap((fn) => {
      const body = readRoutineBody(fn);
      return body ? [{ fn, body }] : [];
    });
}

export function checkShadowedParams(catalog: Catalog, functions: ReadFunction[]): Finding[] {
  const findings: Finding[] = [];
  for (const { fn, body } of functions) {
    if (body.language === 'plpgsql' && body.variableConflict === 'use_variable') continue;
    // In SQL functions only input arguments are names in the body; in PL/pgSQL OUT and TABLE columns are variables too.
    const args = fn.arguments.filter(
      (a) => a.name && (body.language === 'plpgsql' || a.mode === 'in' || a.mode === 'inout' || a.mode === 'variadic'),
    );
    if (args.length === 0) continue;
    const resolve = relationResolver(catalog, configuredSearchPath(fn));
    const inputs = fn.arguments.filter((a) => a.mode === 'in' || a.mode === 'inout' || a.mode === 'variadic');
    const positions = Object.fromEntries(inputs.flatMap((a, i) => (a.name ? [[a.name, i + 1]] : [])));
    const hits = findShadowedParams(
      body.queries.map((q) => q.stmt),
      args.map((a) => a.name!),
      resolve,
      { resolvedBody: body.atomic, functionName: fn.name, positions },
    );
    for (const h of hits) {
      const arg = args.find((a) => a.name === h.param)!;
      const position = inputs.indexOf(arg) + 1;
      const columnWins = body.language === 'sql' || body.variableConflict === 'use_column';
      // The body reads the argument as fn.param or $n: the unqualified name is meant as the column.
      if (h.readAs !== undefined && columnWins) continue;
      const sig = functionSignature(fn);
      const what = arg.mode === 'out' || arg.mode === 'table' ? 'output column' : 'parameter';
      const col = `${h.relation}.${h.column}`;
      const self = h.selfComparison
        ? `, so "${h.param} = ${h.param}" compares the column with itself: always true for every row where it is not null`
        : '';
      let message: string;
      if (body.atomic) {
        message = `function ${sig}: ${what} "${h.param}" has the name of column ${col}, which won when the body was bound; the stored body compares ${col} with itself (always true for non-null rows) and never reads the argument`;
      } else if (columnWins) {
        const why = body.language === 'sql' ? 'in a SQL function the column wins' : '#variable_conflict use_column makes the column win';
        message = `function ${sig}: ${what} "${h.param}" has the name of column ${col}, which the body uses unqualified; ${why}, so the argument is never read there${self}`;
      } else {
        message = `function ${sig}: ${what} "${h.param}" has the name of column ${col}, which the body uses unqualified; PL/pgSQL stops with 'column reference "${h.param}" is ambiguous' when that query runs`;
      }
      const argRef = `${quoteIdent(fn.name)}.${quoteIdent(h.param)}`;
      const qualified = position > 0 ? `${argRef} (or $${position})` : argRef;
      const renamed = quoteIdent(`p_${h.param}`);
      const remediation =
        what === 'parameter'
          ? `rename the parameter to ${renamed} and use that name in the body (… ${quoteIdent(h.column)} = ${renamed}); an input parameter cannot be renamed with create or replace, so drop the function first (and recreate the policies that call it), or keep the name and write the argument as ${qualified}`
          : `rename the output column, or qualify the column references in the body with their table (${quoteIdent(h.relation.split('.').at(-1)!)}.${quoteIdent(h.column)})`;
      findings.push({
        rule: 'function_param_shadows_column',
        level: columnWins ? 'error' : 'warn',
        object: functionObject(fn),
        objectKind: 'function',
        message,
        remediation,
        source: { kind: 'function', schema: fn.schema, name: fn.name },
      });
    }
  }
  return findings;
}

/** search_path '' or pg_catalog (and pg_temp) only: every other name must be schema-qualified, so none can be hijacked. */
function pinnedSearchPath(path: string[] | null): boolean {
  return path !== null && path.every((s) => s === '' || s === 'pg_catalog' || s === 'pg_temp');
}

export function checkSecurityDefiners(catalog: Catalog, functions: ReadFunction[]): Finding[] {
  const findings: Finding[] = [];
  const rls = new Set(catalog.tables.filter((t) => t.rlsEnabled).map((t) => `${t.schema}.${t.name}`));
  for (const { fn, body } of functions) {
    if (!fn.securityDefiner) continue;
    const path = configuredSearchPath(fn);
    if (pinnedSearchPath(path)) continue;
    const resolve = relationResolver(catalog, path);
    const tables = new Set<string>();
    for (const q of body.queries) {
      for (const named of relationsNamed(q.stmt)) {
        const r = resolve(named.schema, named.name);
        if (r && rls.has(r.name)) tables.add(r.name);
      }
    }
    if (tables.size === 0) continue;
    const list = [...tables].sort();
    const pathText = path === null ? 'no search_path of its own' : `search_path '${path.join(', ')}'`;
    findings.push({
      rule: 'security_definer_bypasses_rls',
      level: 'warn',
      object: functionObject(fn),
      objectKind: 'function',
      message: `security definer function ${functionSignature(fn)} reads ${listWords(list)} (RLS enabled) as its owner, so their policies do not apply, and it has ${pathText}: whoever can create objects on the caller's path can make its unqualified names mean something else`,
      remediation: `alter function ${functionSql(fn)} set search_path = ''; then schema-qualify every name in the body (${list[0]}, auth.uid()), and make sure it returns only what the caller may see`,
      source: { kind: 'function', schema: fn.schema, name: fn.name },
    });
  }
  return findings;
}
