import pc from 'picocolors';
import { KeelError } from '../core/errors.js';
import { scrub } from '../core/redact.js';
import type { FileOutcome } from '../features/migrate/apply.js';

/** Where output goes; injected so tests can capture it. */
export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Colour only on a terminal, and never with NO_COLOR. */
  color: boolean;
}

const closed = new WeakMap<NodeJS.WritableStream, { closed: boolean }>();

/**
 * Writes to `stream` until its reader goes away (`keel --help | head -1`): the EPIPE that follows is not an error of
 * the command's (as with a Unix tool, whose SIGPIPE Node turns into this error event), so later output is dropped and
 * the command ends as it would have, with its own exit code. Any other write error stays an error.
 */
export function writer(stream: NodeJS.WritableStream): (text: string) => void {
  let state = closed.get(stream);
  if (!state) {
    const s = { closed: false };
    state = s;
    closed.set(stream, s);
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
      s.closed = true;
    });
  }
  const s = state;
  return (text) => {
    if (!s.closed) stream.write(text);
  };
}

export function defaultIo(): Io {
  const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
  const out = writer(process.stdout);
  const err = writer(process.stderr);
  return {
    out: (t) => out(`${scrub(t)}\n`),
    err: (t) => err(`${scrub(t)}\n`),
    color,
  };
}

export function paint(io: Io) {
  const id = (s: string) => s;
  return {
    red: io.color ? pc.red : id,
    green: io.color ? pc.green : id,
    yellow: io.color ? pc.yellow : id,
    dim: io.color ? pc.dim : id,
    bold: io.color ? pc.bold : id,
  };
}

/** One line per file as it finishes. */
export function fileLine(io: Io, e: FileOutcome): string {
  const c = paint(io);
  const mark = e.status === 'applied' ? c.green('✓') : e.status === 'would-apply' ? c.yellow('→') : c.dim('·');
  const what = e.status === 'would-apply' ? 'would apply' : e.status;
  return `${mark} ${e.kind.padEnd(9)} ${e.file} ${c.dim(`${what}, ${e.statements} stmt${e.statements === 1 ? '' : 's'}, ${e.durationMs.toFixed(0)} ms`)}`;
}

/** A user-facing error: message, location excerpt, detail, hint; the stack only with --debug or for bugs. */
export function formatError(io: Io, err: unknown, debug: boolean): string {
  const c = paint(io);
  if (err instanceof KeelError) {
    const where = err.location ? `${err.location.file}:${err.location.line}:${err.location.column}` : '';
    const message = where && !err.message.startsWith(where) ? `${where}: ${err.message}` : err.message;
    const lines = [`${c.red('error')}: ${message}${err.sqlState ? c.dim(` (SQLSTATE ${err.sqlState})`) : ''}`];
    if (err.problems) for (const p of err.problems) lines.push(`  - ${p}`);
    if (err.excerpt) lines.push('', err.excerpt, '');
    if (err.detail && !err.detail.includes('\n    at ')) lines.push(`${c.dim('detail')}: ${err.detail}`);
    if (err.hint) lines.push(`${c.yellow('hint')}: ${err.hint}`);
    if (debug && err.stack) lines.push('', c.dim(err.stack));
    return lines.join('\n');
  }
  const e = err as Error;
  return `${c.red('internal error')}: ${e?.message ?? String(err)}\n${c.dim(e?.stack ?? '')}\nThis is a bug in Keel; please report it with the command you ran.`;
}

export function errorJson(err: unknown): Record<string, unknown> {
  if (err instanceof KeelError) return { ok: false, error: err.toJSON() };
  return { ok: false, error: { code: 'KEEL_INTERNAL', message: (err as Error)?.message ?? String(err) } };
}
