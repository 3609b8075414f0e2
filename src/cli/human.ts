import type { DbServerResult } from '../commands/db-server.js';
import type { InitResult } from '../commands/init.js';
import type { MigrateResult, SeedResult } from '../commands/migrate.js';
import type { ResetResult } from '../commands/reset.js';
import type { StatusResult } from '../commands/status.js';
import type { FileOutcome } from '../features/migrate/apply.js';
import { paint, type Io } from './print.js';

/** Plain-text renderings of command results, for people. `--json` prints the results themselves. */

function count(files: FileOutcome[], status: FileOutcome['status']): number {
  return files.filter((f) => f.status === status).length;
}

/** "3 policy file(s) applied" or, when some were skipped as unchanged, "2 policy file(s) applied, 1500 unchanged". */
function declarative(files: FileOutcome[], kind: string): string {
  const unchanged = count(files, 'unchanged');
  return `${files.length - unchanged} ${kind} file(s) applied${unchanged ? `, ${unchanged} unchanged` : ''}`;
}

function warnings(io: Io, list: string[]): string[] {
  const c = paint(io);
  return list.map((w) => `${c.yellow('warning')}: ${w}`);
}

export function init(r: InitResult): string {
  const lines = [`Keel project in ${r.root}`];
  for (const c of r.created) lines.push(`  created ${c}`);
  for (const k of r.kept) lines.push(`  kept    ${k}`);
  if (r.scriptsAdded.length) lines.push(`  npm scripts added: ${r.scriptsAdded.join(', ')}`);
  if (r.scriptsKept.length) lines.push(`  npm scripts kept (already defined): ${r.scriptsKept.join(', ')}`);
  return lines.join('\n');
}

export function migrate(io: Io, r: MigrateResult): string {
  const dry = r.migrations.some((m) => m.status === 'would-apply');
  const lines = [...warnings(io, r.warnings)];
  if (dry) for (const m of r.migrations) lines.push(`would apply ${m.file} (${m.statements} statements)`);
  const applied = count(r.migrations, 'applied');
  lines.push(
    dry
      ? `${r.target}: ${r.migrations.length} migration(s) would be applied; roles and policies would be re-applied (dry run, nothing changed)`
      : `${r.target}: ${applied} migration(s) applied${count(r.migrations, 'skipped') ? `, ${count(r.migrations, 'skipped')} already applied by another process` : ''}${applied === 0 ? ' (up to date)' : ''}; ${declarative(r.roles, 'role')}, ${declarative(r.policies, 'policy')}`,
  );
  return lines.join('\n');
}

export function reset(io: Io, r: ResetResult): string {
  const lines = [...warnings(io, r.warnings)];
  lines.push(
    `${r.target}: reset in ${(r.durationMs / 1000).toFixed(2)} s — ${r.mode === 'data-dir' && r.replaced ? 'replaced the previous data dir' : `dropped ${r.dropped.length} schema(s)`}; applied ${count(r.migrations, 'applied')} migration(s), ${r.roles.length} role file(s), ${r.policies.length} policy file(s), ${count(r.seeds, 'applied')} seed file(s)`,
    resetModeLine(r),
  );
  if (r.seedsSkipped) lines.push(`note: ${r.seedsSkipped}`);
  return lines.join('\n');
}

/** The one line saying how the database was replaced (see ResetMode). */
function resetModeLine(r: ResetResult): string {
  switch (r.mode) {
    case 'data-dir':
      return 'mode: data-dir (built in a fresh data dir from the template, swapped in once every file had succeeded)';
    case 'new-instance':
      return 'mode: new-instance (a new in-memory database)';
    case 'new-database':
      return 'mode: new-database (built in a scratch database, renamed into place; the old database dropped)';
    default:
      return `mode: in-place (${r.inPlaceReason ?? 'the engine was already open'}; dropped inside the database${r.droppedOutside.length ? `, also ${r.droppedOutside.join(', ')}` : ''})`;
  }
}

export function seed(io: Io, r: SeedResult): string {
  const lines = [...warnings(io, r.warnings)];
  if (r.seedsSkipped) lines.push(`${r.target}: ${r.seedsSkipped}`);
  else
    lines.push(
      `${r.target}: ${count(r.seeds, 'applied')} seed file(s) run, ${count(r.seeds, 'unchanged')} unchanged (use --force to re-run)`,
    );
  return lines.join('\n');
}

export function status(io: Io, r: StatusResult): string {
  const c = paint(io);
  const lines = [
    `target   ${r.target}`,
    `engine   ${r.engine} (${r.serverVersion}${r.supabase ? ', Supabase' : ''})`,
    `history  ${r.applied} applied, ${r.pending} pending${r.changed.length ? `, ${r.changed.length} changed` : ''}${r.missing.length ? `, ${r.missing.length} missing locally` : ''}`,
    '',
  ];
  const stateText: Record<string, string> = {
    applied: c.green('applied'),
    pending: c.yellow('pending'),
    changed: c.red('changed'),
    missing: c.red('missing'),
  };
  const width = Math.max(7, ...r.migrations.map((m) => m.version.length));
  for (const m of r.migrations) {
    lines.push(
      `  ${m.version.padEnd(width)}  ${stateText[m.state]!.padEnd(io.color ? 16 : 7)}  ${m.name}${m.outOfOrder ? c.yellow(' (out of order)') : ''}`,
    );
  }
  if (r.migrations.length === 0) lines.push('  (no migrations)');
  if (r.newerInDb.length)
    lines.push(
      '',
      c.red(`the database has versions newer than every local file: ${r.newerInDb.join(', ')} — pull them or repair the history`),
    );
  if (r.refused.length) {
    const one = r.refused.length === 1;
    lines.push(
      '',
      c.red(
        `keel db migrate would refuse ${one ? 'this file' : `these ${r.refused.length} files`} and apply nothing until ${one ? 'it is' : 'they are'} fixed:`,
      ),
    );
    for (const x of r.refused) lines.push(`  ${c.red('error')}: ${x}`);
  }
  lines.push(...warnings(io, r.warnings));
  return lines.join('\n');
}

export function dbStart(r: DbServerResult): string {
  const what =
    r.engine === 'local-server' ? `PostgreSQL ${r.version} at ${r.url} (pid ${r.pid})` : `engine host on ${r.socket} (pid ${r.pid})`;
  const idle = r.idleMs
    ? `; stops after ${r.idleMs >= 120_000 ? `${Math.round(r.idleMs / 60_000)} idle minutes` : `${Math.round(r.idleMs / 1000)} idle seconds`}`
    : '';
  return `${r.changed ? 'started' : 'already running'}: ${what}, data dir ${r.dataDir}${idle}`;
}

export function dbStop({ engines }: { engines: DbServerResult[] }): string {
  return engines
    .map((r) => `${r.engine === 'local-server' ? 'local server' : 'engine host'} (${r.dataDir}): ${r.changed ? 'stopped' : 'not running'}`)
    .join('\n');
}
