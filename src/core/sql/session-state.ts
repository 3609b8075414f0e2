/**
 * The session state a file's statements leave behind, read from the parse tree, so the runner can undo it before the
 * next file: the Supabase CLI sends `RESET ALL` before every migration file, so a `set search_path = ''` (pg_dump's
 * header) or `set statement_timeout = 0` in one file never reaches the next. Keel resets exactly what the file set,
 * which also keeps Keel's own transaction-local settings (the shim's search_path, the secrets key) when several files
 * share one transaction; and it also resets the role (`RESET ALL` leaves `SET ROLE` and `SET SESSION AUTHORIZATION`
 * alone, so in the CLI they leak into the next file).
 *
 * Found: `SET [SESSION | LOCAL] name …` (any name, including role, session authorization, time zone),
 * `SET SESSION CHARACTERISTICS AS TRANSACTION …`, and `set_config('name', …)` calls anywhere in a statement with the
 * name written as a literal (one with a computed name resets everything). Settings changed inside a function or DO
 * block body are not seen.
 */
import type { Statement } from './split.js';

const CHARACTERISTICS = ['default_transaction_isolation', 'default_transaction_read_only', 'default_transaction_deferrable'];

function quoteName(name: string): string {
  return /^[a-z_][a-z0-9_.]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

function resetFor(name: string): string {
  switch (name.toLowerCase()) {
    case 'role':
      return 'reset role';
    case 'session_authorization':
      return 'reset session authorization';
    case 'transaction':
    case 'transaction_isolation':
    case 'transaction_read_only':
    case 'transaction_deferrable':
      return ''; // transaction-scoped: gone when the transaction ends
    default:
      return `reset ${quoteName(name.toLowerCase())}`;
  }
}

/** Literal first argument of each `set_config(…)` call in a parse tree; `null` for a call whose name is computed. */
function setConfigNames(node: unknown, out: (string | null)[]): void {
  if (Array.isArray(node)) {
    for (const n of node) setConfigNames(n, out);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const call = (node as { FuncCall?: { funcname?: { String?: { sval?: string } }[]; args?: unknown[] } }).FuncCall;
  if (call && call.funcname?.at(-1)?.String?.sval === 'set_config') {
    const first = call.args?.[0] as { A_Const?: { sval?: { sval?: string } } } | undefined;
    out.push(first?.A_Const?.sval?.sval ?? null);
  }
  for (const v of Object.values(node)) setConfigNames(v, out);
}

/**
 * The `RESET …` statements that undo what `stmts` set, in a stable order; empty when they set nothing. `reset role`
 * and `reset session authorization` come first (a role may not be allowed to reset the rest).
 *
 * @example
 * sessionResets(splitSql("set role authenticated;\nselect set_config('search_path', '', false);", 'm.sql'))
 * // ['reset session authorization'?, 'reset role', 'reset search_path']  (only what was set)
 */
export function sessionResets(stmts: readonly Statement[]): string[] {
  const resets = new Set<string>();
  for (const s of stmts) {
    if (s.kind === 'VariableSetStmt') {
      const kind = s.ast.kind;
      const name = typeof s.ast.name === 'string' ? s.ast.name : '';
      if (kind === 'VAR_SET_MULTI') {
        if (name === 'SESSION CHARACTERISTICS') for (const c of CHARACTERISTICS) resets.add(`reset ${c}`);
        continue;
      }
      if (kind === 'VAR_SET_VALUE' || kind === 'VAR_SET_DEFAULT' || kind === 'VAR_SET_CURRENT') {
        const r = resetFor(name);
        if (r) resets.add(r);
      }
      continue;
    }
    const names: (string | null)[] = [];
    setConfigNames(s.ast, names);
    for (const n of names) {
      if (n === null) resets.add('reset all');
      else {
        const r = resetFor(n);
        if (r) resets.add(r);
      }
    }
  }
  const order = (r: string) => (r === 'reset session authorization' ? 0 : r === 'reset role' ? 1 : r === 'reset all' ? 3 : 2);
  return [...resets].sort((a, b) => order(a) - order(b) || a.localeCompare(b));
}
