import type { SqlFile } from '../../core/project/files.js';
import type { Statement } from '../../core/sql/split.js';
import type { EngineKind, Queryable } from '../engine.js';
import { PLATFORM_EXTENSIONS } from './catalogue.js';
import { engineLabel, errorAt, whereAvailable } from './errors.js';
import { extensionSettings } from './settings.js';
import { readExtensionState, type ExtensionState } from './state.js';
import { dropStandInStatement, STAND_INS, standInStatement } from './stand-ins/index.js';
import { ident } from './sql-text.js';

/** A prepared file: its text and its statements (src/features/migrate/run-file.ts). */
export interface SqlStatements {
  file: SqlFile;
  statements: Statement[];
}

interface CreateExtension {
  name: string;
  ifNotExists: boolean;
  schema?: string;
  cascade: boolean;
}

function readCreate(s: Statement): CreateExtension | undefined {
  if (s.kind !== 'CreateExtensionStmt' || typeof s.ast.extname !== 'string') return undefined;
  const out: CreateExtension = { name: s.ast.extname, ifNotExists: s.ast.if_not_exists === true, cascade: false };
  for (const o of (s.ast.options as { DefElem?: { defname: string; arg?: Record<string, Record<string, unknown>> } }[] | undefined) ?? []) {
    const d = o.DefElem;
    if (d?.defname === 'schema') out.schema = d.arg?.String?.sval as string;
    if (d?.defname === 'cascade') out.cascade = d.arg?.Boolean?.boolval !== false;
  }
  return out;
}

interface DropExtension {
  names: string[];
  ifExists: boolean;
  cascade: boolean;
}

function readDrop(s: Statement): DropExtension | undefined {
  if (s.kind !== 'DropStmt' || s.ast.removeType !== 'OBJECT_EXTENSION') return undefined;
  const names = ((s.ast.objects as { String?: { sval?: string } }[] | undefined) ?? [])
    .map((o) => o.String?.sval)
    .filter((n): n is string => !!n);
  return { names, ifExists: s.ast.missing_ok === true, cascade: s.ast.behavior === 'DROP_CASCADE' };
}

/** `comment on extension X` naming an extension: the name, else undefined. */
function commentedExtension(s: Statement): string | undefined {
  if (s.kind !== 'CommentStmt' || s.ast.objtype !== 'OBJECT_EXTENSION') return undefined;
  return (s.ast.object as { String?: { sval?: string } } | undefined)?.String?.sval;
}

/**
 * The file as it should run on this engine: each `create extension` the engine cannot honour with the real extension
 * becomes Keel's stand-in (or Keel's own SQL for a plain-SQL extension, or nothing when the shim already provides it),
 * refused when `[db] stand_ins = false`; any other missing extension stops the run with an error at `file:line:col`
 * naming the extension and the engines that have it. Files creating no extension come back unchanged (no query).
 *
 * @example
 * await runStatements(tx, await withPlatformExtensions(tx, engine, prepared), { inTransaction: true });
 */
export async function withPlatformExtensions<F extends SqlStatements>(
  db: Queryable,
  engine: { kind: EngineKind },
  prepared: F,
): Promise<F> {
  const creates = prepared.statements.map(readCreate);
  const drops = prepared.statements.map(readDrop);
  if (!creates.some(Boolean) && !drops.some(Boolean)) return prepared;
  const names = [
    ...new Set([
      ...creates.filter((c): c is CreateExtension => !!c).map((c) => c.name),
      ...drops.flatMap((d) => d?.names ?? []),
      'pgcrypto',
    ]),
  ];
  const state = await readExtensionState(db, engine.kind, names);
  const settings = extensionSettings(engine);
  /** Created by an earlier line of this file: 'real' or 'stand-in', with the schema. */
  const made = new Map<string, { how: 'real' | 'stand-in'; schema: string }>();
  const out: Statement[] = [];
  prepared.statements.forEach((stmt, i) => {
    const c = creates[i];
    const commented = commentedExtension(stmt);
    if (commented && (made.get(commented)?.how === 'stand-in' || (state.standIns.has(commented) && !state.installed.has(commented))))
      return; // a stand-in has no pg_extension row
    const d = drops[i];
    if (d) {
      const sql = resolveDrop(d, state, made);
      if (sql !== null) out.push(sql === undefined ? stmt : { ...stmt, sql });
      return;
    }
    if (!c) return void out.push(stmt);
    const sql = resolveCreate(c, stmt, prepared, state, made, settings);
    if (sql !== null) out.push(sql === stmt.sql ? stmt : { ...stmt, sql });
  });
  return out.length === prepared.statements.length && out.every((s, i) => s === prepared.statements[i])
    ? prepared
    : { ...prepared, statements: out };
}

/**
 * `drop extension` naming a stand-in: its objects and record are removed, and the real extensions on the same line
 * are dropped as written. Undefined: the line as it is (no stand-in named); null: nothing left to run.
 */
function resolveDrop(
  d: DropExtension,
  state: ExtensionState,
  made: Map<string, { how: 'real' | 'stand-in'; schema: string }>,
): string | null | undefined {
  const parts: string[] = [];
  const rest: string[] = [];
  for (const name of d.names) {
    const local = made.get(name);
    const schema =
      local?.how === 'stand-in' ? local.schema : !state.installed.has(name) && local?.how !== 'real' ? state.standIns.get(name) : undefined;
    const standIn = STAND_INS[name];
    if (schema !== undefined && standIn) {
      parts.push(dropStandInStatement(name, standIn, schema));
      made.delete(name);
      state.standIns.delete(name);
    } else if (name === 'supabase_vault' && !state.installed.has(name) && state.vault) {
      made.delete(name); // the shim's vault stays: it is the platform's, not the extension's
    } else {
      rest.push(name);
      made.delete(name);
    }
  }
  if (rest.length === d.names.length) return undefined;
  if (rest.length > 0)
    parts.push(`drop extension ${d.ifExists ? 'if exists ' : ''}${rest.map(ident).join(', ')}${d.cascade ? ' cascade' : ''}`);
  return parts.length > 0 ? parts.join(';\n') : null;
}

/** The SQL to run for one `create extension` (the line itself when the engine has it), or null for nothing. */
function resolveCreate(
  c: CreateExtension,
  stmt: Statement,
  prepared: SqlStatements,
  state: ExtensionState,
  made: Map<string, { how: 'real' | 'stand-in'; schema: string }>,
  settings: { standIns: boolean; notes: string[] },
): string | null {
  const file = prepared.file;
  const earlier =
    made.get(c.name) ?? (state.installed.has(c.name) ? { how: 'real' as const, schema: state.installed.get(c.name)! } : undefined);
  if (earlier?.how === 'real' || (!earlier && state.available.has(c.name))) {
    made.set(c.name, { how: 'real', schema: earlier?.schema ?? c.schema ?? state.currentSchema ?? 'public' });
    return stmt.sql; // the real one: Postgres decides (IF NOT EXISTS, versions, CASCADE)
  }
  const standInSchema = earlier?.schema ?? state.standIns.get(c.name);
  if (standInSchema !== undefined) {
    if (c.ifNotExists) return null;
    throw errorAt(
      file,
      stmt,
      'KEEL_EXTENSION_EXISTS',
      `extension "${c.name}" already exists (Keel's stand-in, in schema ${standInSchema})`,
      {
        sqlState: '42710',
        hint: "write `create extension if not exists`, as Supabase's own dumps do",
      },
    );
  }
  const entry = PLATFORM_EXTENSIONS.get(c.name);
  const standIn = STAND_INS[c.name];
  const why = state.unloadable.get(c.name);
  const missing = `extension "${c.name}" is not available on ${engineLabel(state.engine)}${why ? `: ${why}` : ''}`;
  if (c.name === 'supabase_vault') {
    if (state.vault) {
      announce(
        settings,
        c.name,
        `supabase_vault: the Supabase shim's vault (vault.secrets, vault.create_secret) is already in place; nothing to create`,
      );
      made.set(c.name, { how: 'stand-in', schema: 'vault' });
      return null;
    }
    throw errorAt(file, stmt, 'KEEL_EXTENSION_UNAVAILABLE', `${missing}, and the Supabase shim's vault is not installed on this database`, {
      detail: `available on: ${whereAvailable(c.name, state.serverVersion)}`,
      hint: 'Keel installs the vault with its Supabase shim; run `keel db reset` on a database Keel manages',
    });
  }
  if (!entry || !standIn) {
    throw errorAt(file, stmt, 'KEEL_EXTENSION_UNAVAILABLE', missing, {
      sqlState: '0A000',
      detail: `available on: ${whereAvailable(c.name, state.serverVersion)}`,
      hint: entry
        ? `run this project against a server that has ${c.name} (--db-url), or remove the line if the project does not need it`
        : `${c.name} is not an extension Supabase offers either; install it on the server (--db-url), or remove the line`,
    });
  }
  if (standIn.kind === 'stand-in' && !settings.standIns) {
    throw errorAt(file, stmt, 'KEEL_STAND_IN_REFUSED', `${missing}, and [db] stand_ins = false refuses Keel's stand-in`, {
      detail: `available on: ${whereAvailable(c.name, state.serverVersion)}`,
      hint: `set [db] stand_ins = true in supabase/keel.toml to use the stand-in (${standIn.note}), or run against a server that has ${c.name} (--db-url)`,
    });
  }
  const schema = c.schema ?? state.currentSchema;
  if (schema === null) throw errorAt(file, stmt, 'KEEL_SQL_FAILED', 'no schema has been selected to create in', { sqlState: '3F000' });
  let prelude = '';
  const requires: Record<string, string> = {};
  for (const r of entry.requires ?? []) {
    const have = made.get(r)?.schema ?? state.installed.get(r);
    if (have !== undefined) requires[r] = have;
    else if (c.cascade) {
      prelude += `create extension if not exists ${ident(r)} with schema ${ident(schema)};\n`;
      requires[r] = schema;
      made.set(r, { how: 'real', schema });
    } else {
      throw errorAt(file, stmt, 'KEEL_SQL_FAILED', `required extension "${r}" is not installed`, {
        sqlState: '42704',
        hint: 'Use CREATE EXTENSION ... CASCADE to install required extensions too.',
      });
    }
  }
  const ctx = { schema, requires, state };
  made.set(c.name, { how: 'stand-in', schema: standIn.schemaOf(ctx) });
  const label = standIn.kind === 'stand-in' ? `stand-in for ${c.name}` : `${c.name}`;
  announce(
    settings,
    c.name,
    `${label}: ${standIn.note} (${state.engine === 'pglite' ? 'PGlite' : 'this server'} has no ${c.name}${why ? `: ${why}` : ''})`,
  );
  return prelude + standInStatement(c.name, standIn, ctx);
}

const announced = new WeakMap<string[], Set<string>>();

/** Adds a note to the command's warnings the first time this extension is resolved in the command. */
function announce(settings: { notes: string[] }, name: string, note: string): void {
  let seen = announced.get(settings.notes);
  if (!seen) announced.set(settings.notes, (seen = new Set()));
  if (seen.has(name)) return;
  seen.add(name);
  settings.notes.push(note);
}
