import type { TestDbResult } from '../commands/test-db.js';
import type { TestDbFailure, TestDbFile } from '../features/pgtap/report.js';
import { closingLine } from '../features/pgtap/report.js';
import { paint, type Io } from './print.js';

/**
 * `keel test db` for people: one line per file (✓/✗, tests, passed, failed), each failing test with its description,
 * file:line and have/want, errors with their location, then the totals. The last line is exactly `N passed, N failed`.
 */

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Diagnostics without pgTAP's `Failed test N: "…"` line (the description says it), de-indented. */
function diagnosticLines(f: TestDbFailure): string[] {
  const lines = f.diagnostics.filter((l) => !/^\s*Failed (\(TODO\) )?test \d+/.test(l));
  while (lines.length && lines[lines.length - 1]!.trim() === '') lines.pop();
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^\s*/.exec(l)![0].length));
  return lines.map((l) => l.slice(Number.isFinite(indent) ? indent : 0));
}

function fileLines(io: Io, f: TestDbFile, debug: boolean, isolate: boolean): string[] {
  const c = paint(io);
  const mark = f.ok ? c.green('✓') : c.red('✗');
  const plan = f.planned === null ? ', no plan' : f.planned !== f.tests ? `, planned ${f.planned}` : '';
  const counts = `${plural(f.tests, 'test')}, ${f.passed} passed, ${f.failed} failed${plan}`;
  const extra = [f.skipped ? `${f.skipped} skipped` : '', f.todo ? `${f.todo} todo` : ''].filter(Boolean).join(', ');
  const out = [`${mark} ${f.file}  ${c.dim(`${counts}${extra ? `, ${extra}` : ''}, ${f.durationMs.toFixed(0)} ms`)}`];
  for (const fail of f.failures) {
    const at = `${fail.location.file}:${fail.location.line}`;
    out.push(`    ${c.red(`not ok ${fail.number}`)} - ${fail.description} ${c.dim(`(${at})`)}`);
    for (const l of diagnosticLines(fail)) out.push(`        ${l}`);
  }
  for (const p of f.problems) out.push(`    ${c.red('✗')} ${p}`);
  if (f.error) {
    const e = f.error;
    const where = e.location ? `${e.location.file}:${e.location.line}:${e.location.column}: ` : '';
    out.push(`    ${c.red('error')}: ${where}${e.message}${e.sqlState ? c.dim(` (SQLSTATE ${e.sqlState})`) : ''}`);
    if (e.excerpt) out.push(...e.excerpt.split('\n').map((l) => `      ${l}`));
    if (e.detail) out.push(`    ${c.dim('detail')}: ${e.detail}`);
    if (e.hint) out.push(`    ${c.yellow('hint')}: ${e.hint}`);
    if (f.stopped) out.push(c.dim('    (the database stopped: the files after this one were not run)'));
    else if (!f.notRun)
      out.push(c.dim(isolate ? '    (rolled back; the other files still run)' : '    (the file stopped here; the other files still run)'));
  }
  if (debug) {
    for (const s of f.skippedStatements) out.push(c.dim(`    · ${f.file}:${s.line} skipped \`${s.sql.split('\n')[0]}\`: ${s.reason}`));
    for (const m of f.comments) out.push(c.dim(`    # ${m}`));
  }
  return out;
}

/** The whole report; `debug` adds the statements skipped by design and pgTAP's other `#` lines. */
export function testDbReport(io: Io, r: TestDbResult, opts: { debug?: boolean } = {}): string {
  const c = paint(io);
  const t = r.totals;
  const how = r.mode === 'isolate' ? 'each file rolled back' : 'each file in its own session';
  const lines = [
    c.dim(
      `${r.target}: pgTAP ${r.pgtap.version} in schema ${r.pgtap.schema}; database built in ${(r.buildMs / 1000).toFixed(2)} s; ${how}`,
    ),
  ];
  for (const f of r.files) lines.push(...fileLines(io, f, Boolean(opts.debug), r.mode === 'isolate'));
  const files = `${plural(t.files, 'file')}: ${t.filesPassed} passed, ${t.filesFailed} failed${t.errors ? ` (${plural(t.errors, 'error')})` : ''}`;
  lines.push('', `${files}; ${plural(t.tests, 'test')} in ${(r.testMs / 1000).toFixed(2)} s`);
  lines.push(closingLine(t)); // plain, even on a terminal: CI tools read it
  return lines.join('\n');
}
