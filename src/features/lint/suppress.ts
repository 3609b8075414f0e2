/**
 * Suppressions: `-- keel-ignore <rule>[, <rule>…]: <reason>` in a comment before or inside a statement silences those
 * rules' findings located on that statement; `[[lint.ignore]]` in keel.toml silences a rule everywhere or for one
 * object. A suppression without a reason still applies, and is itself a finding, so an unexplained silence fails CI.
 *
 * @example
 * -- keel-ignore no_primary_key: append-only audit log, rows are never addressed one by one
 * create table public.audit_log (at timestamptz not null default now(), event jsonb not null);
 */
import type { SourceLocation } from '../../core/errors.js';
import type { LintConfig } from '../../core/project/config.js';
import { scanSql } from '../../core/sql/parser.js';
import { byteToCharOffset, lineColAt } from '../../core/sql/position.js';
import type { PreparedFile } from '../migrate/run-file.js';
import type { Finding } from './finding.js';

export interface Suppression {
  rules: string[];
  reason: string | null;
  /** `comment`: in a SQL file; `config`: keel.toml. */
  by: 'comment' | 'config';
  /** Where the comment (or config entry) is. */
  location: SourceLocation;
  /** Config: only this object. */
  object?: string;
  /** Comment: the lines of the statement it covers. */
  file?: string;
  fromLine?: number;
  toLine?: number;
}

const DIRECTIVE = 'keel-ignore';

/** The text of a comment token without its markers. */
function commentBody(raw: string): string {
  return raw.startsWith('--')
    ? raw.slice(2).trim()
    : raw
        .replace(/^\/\*+/, '')
        .replace(/\*+\/$/, '')
        .trim();
}

/** Reads `keel-ignore a, b: reason` (the reason may be missing). */
export function parseDirective(body: string): { rules: string[]; reason: string | null } | undefined {
  if (!body.startsWith(DIRECTIVE)) return undefined;
  const rest = body.slice(DIRECTIVE.length);
  if (rest !== '' && !/^[\s:]/.test(rest)) return undefined; // `keel-ignored` is prose, not a directive
  const colon = rest.indexOf(':');
  const rulePart = colon < 0 ? rest : rest.slice(0, colon);
  const reason = colon < 0 ? '' : rest.slice(colon + 1).trim();
  const rules = rulePart.split(/[\s,]+/).filter(Boolean);
  return { rules, reason: reason === '' ? null : reason };
}

/** Suppression comments of SQL files, each tied to the statement it sits before, inside or (same line) after. */
export function commentSuppressions(files: PreparedFile[]): Suppression[] {
  const out: Suppression[] = [];
  for (const f of files) {
    const text = f.file.text;
    if (!text.includes(DIRECTIVE)) continue; // no directive: no need to tokenise the file
    let tokens;
    try {
      tokens = scanSql(text).tokens;
    } catch {
      continue; // a file the scanner rejects cannot have been applied either; its parse error is reported elsewhere
    }
    const stmts = f.statements.map((s) => {
      const end = s.start + s.sql.length;
      return { start: s.start, end, line: s.line, endLine: lineColAt(text, end).line };
    });
    for (const t of tokens) {
      if (t.tokenName !== 'SQL_COMMENT' && t.tokenName !== 'C_COMMENT') continue;
      const start = byteToCharOffset(text, t.start);
      const end = byteToCharOffset(text, t.end);
      const d = parseDirective(commentBody(text.slice(start, end)));
      if (!d) continue;
      const at = lineColAt(text, start);
      // A comment on the line where a statement ends belongs to that statement; otherwise to the next one it precedes.
      const stmt = stmts.find((s) => s.endLine === at.line && start >= s.end) ?? stmts.find((s) => end <= s.end);
      if (!stmt) continue;
      out.push({
        ...d,
        by: 'comment',
        location: { file: f.file.file, line: at.line, column: at.column },
        file: f.file.file,
        fromLine: Math.min(stmt.line, at.line),
        toLine: stmt.endLine,
      });
    }
  }
  return out;
}

/** `[[lint.ignore]]` entries, located at their line in keel.toml. */
export function configSuppressions(config: LintConfig, tomlText: string | undefined): Suppression[] {
  const lines = tomlText?.split('\n') ?? [];
  return config.ignore.map((e) => {
    const idx = lines.findIndex((l) => l.includes(`"${e.rule}"`) || l.includes(`'${e.rule}'`));
    return {
      rules: [e.rule],
      reason: e.reason?.trim() ? e.reason.trim() : null,
      by: 'config' as const,
      location: { file: 'supabase/keel.toml', line: idx < 0 ? 1 : idx + 1, column: 1 },
      ...(e.object !== undefined && { object: e.object }),
    };
  });
}

/** The suppression that silences a finding, if any. */
export function suppressionFor(f: Finding, suppressions: Suppression[]): Suppression | undefined {
  return suppressions.find((s) => {
    if (!s.rules.includes(f.rule)) return false;
    if (s.by === 'config') return s.object === undefined || s.object === f.object;
    const at = f.location;
    return at !== undefined && at.file === s.file && at.line >= s.fromLine! && at.line <= s.toLine!;
  });
}
