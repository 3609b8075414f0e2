/**
 * Errors a user can act on. The CLI prints `message` (plus `where`, `excerpt` and `hint`) and exits non-zero without a stack
 * trace; anything that is not a KeelError is a bug and is printed with its stack.
 *
 * @example
 * throw new KeelError('KEEL_NO_PROJECT', 'no supabase/ folder in /tmp/app', { hint: 'run `keel init` or pass --cwd' });
 */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

export interface KeelErrorOptions {
  hint?: string;
  location?: SourceLocation;
  /** A few lines of the file with a caret under the column. */
  excerpt?: string;
  /** SQLSTATE when the database raised it. */
  sqlState?: string;
  detail?: string;
  cause?: unknown;
  /** Further problems found in the same pass (config validation reports every problem at once). */
  problems?: string[];
}

export class KeelError extends Error {
  readonly code: string;
  readonly hint?: string;
  readonly location?: SourceLocation;
  readonly excerpt?: string;
  readonly sqlState?: string;
  readonly detail?: string;
  readonly problems?: string[];

  constructor(code: string, message: string, options: KeelErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'KeelError';
    this.code = code;
    this.hint = options.hint;
    this.location = options.location;
    this.excerpt = options.excerpt;
    this.sqlState = options.sqlState;
    this.detail = options.detail;
    this.problems = options.problems;
  }

  /** The shape printed by `--json`. */
  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      ...(this.location && { location: this.location }),
      ...(this.sqlState && { sqlState: this.sqlState }),
      ...(this.detail && { detail: this.detail }),
      ...(this.hint && { hint: this.hint }),
      ...(this.problems && { problems: this.problems }),
    };
  }
}

/** Fields Postgres sends with an error, kept whole so callers can point at the file. */
export interface DbErrorFields {
  code?: string;
  message: string;
  detail?: string;
  hint?: string;
  /** 1-based character position in the statement that was sent. */
  position?: number;
  internalPosition?: number;
  internalQuery?: string;
  where?: string;
  schema?: string;
  table?: string;
  column?: string;
  constraint?: string;
}

/** An error raised by the database, normalised across engines. */
export class DbError extends Error implements DbErrorFields {
  code?: string;
  detail?: string;
  hint?: string;
  position?: number;
  internalPosition?: number;
  internalQuery?: string;
  where?: string;
  schema?: string;
  table?: string;
  column?: string;
  constraint?: string;

  constructor(fields: DbErrorFields) {
    super(fields.message);
    this.name = 'DbError';
    Object.assign(this, fields);
  }
}

/** Copies the Postgres error fields off a driver error (pg, PGlite) into a DbError; other errors pass through. */
export function toDbError(err: unknown): unknown {
  if (err instanceof DbError || !(err instanceof Error)) return err;
  const e = err as Error & Record<string, unknown>;
  if (typeof e.code !== 'string' || !/^[0-9A-Z]{5}$/.test(e.code)) return err;
  const num = (v: unknown) => (v === undefined || v === null || v === '' ? undefined : Number(v));
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  return new DbError({
    code: e.code,
    message: e.message,
    detail: str(e.detail),
    hint: str(e.hint),
    position: num(e.position),
    internalPosition: num(e.internalPosition),
    internalQuery: str(e.internalQuery),
    where: str(e.where),
    schema: str(e.schema),
    table: str(e.table),
    column: str(e.column),
    constraint: str(e.constraint),
  });
}
