/** `keel db backup` (with `prune` and `verify`) and `keel db restore`: their options and actions. */
import type { Command } from 'commander';
import type * as keel from '../index.js';
import { KeelError } from '../core/errors.js';
import { commands } from './commands.js';
import { globals, type Run } from './globals.js';
import type { Io } from './print.js';

export function registerBackupCommands(db: Command, io: Io, run: Run): void {
  const collect = (v: string, prev: string[] = []) => [...prev, v];
  type BackupFlags = {
    schemaOnly?: boolean;
    dataOnly?: boolean;
    table?: string[];
    excludeTable?: string[];
    output?: string;
    jobs?: string;
  };
  type RestoreFlags = { clean?: boolean; force?: boolean; dataOnly?: boolean; table?: string; into?: string; jobs?: string };
  const backupCmd = db
    .command('backup')
    .description('back up the database (schema.sql + gzip COPY data, sha256-verified) into supabase/backups/<timestamp>_<type>.keel')
    .option('--schema-only', 'the schema (and migration history) only')
    .option('--data-only', 'the data only (user tables and auth.users)')
    .option('--table <name>', "only this table's data: schema.table or table (repeatable)", collect)
    .option('--exclude-table <name>', "leave this table's data out (repeatable)", collect)
    .option(
      '--output <path>',
      'folder to write (default supabase/backups/<UTC timestamp>_<type>.keel; outside a project, with --db-url: in the current folder)',
    )
    .option('-j, --jobs <n>', 'copy n tables at once over n connections sharing one snapshot (a server; PGlite runs 1)')
    .action((o: BackupFlags, cmd: Command) => {
      const g = globals(cmd, io);
      return run(g, async () => {
        const { backupText, backupProgressLine } = await import('./backup-output.js');
        const { checkJobs } = await import('../features/backup/jobs.js');
        const last = {};
        const onProgress = g.onFile
          ? (e: keel.BackupProgress) => {
              const line = backupProgressLine(io, e, last);
              if (line) io.err(line);
            }
          : undefined;
        const r = await commands.backup({
          ...g,
          schemaOnly: o.schemaOnly,
          dataOnly: o.dataOnly,
          tables: o.table,
          excludeTables: o.excludeTable,
          output: o.output,
          onProgress,
          jobs: o.jobs === undefined ? undefined : checkJobs(o.jobs),
        });
        return { result: r, text: (i) => backupText(i, r) };
      });
    });
  backupCmd
    .command('prune')
    .description('remove old backups (and interrupted .partial-* folders); with both options a backup goes only when neither keeps it')
    .option('--keep <n>', 'keep the newest n backups')
    .option('--older-than <age>', 'remove backups older than this: 30d, 12h, 2w')
    .option('--dry-run', 'list what would be removed; remove nothing')
    .action((o: { keep?: string; olderThan?: string; dryRun?: boolean }, cmd: Command) => {
      const g = globals(cmd, io);
      return run(g, async () => {
        const { pruneText } = await import('./backup-output.js');
        if (o.keep !== undefined && !/^\d+$/.test(o.keep))
          throw new KeelError('KEEL_BAD_OPTION', `--keep must be a whole number, not "${o.keep}"`, {
            hint: 'keel db backup prune --keep 10',
          });
        const r = await commands.backupPrune({
          ...g,
          keep: o.keep === undefined ? undefined : Number(o.keep),
          olderThan: o.olderThan,
          dryRun: o.dryRun,
        });
        return { result: r, text: (i) => pruneText(i, r, Boolean(o.dryRun)) };
      });
    });
  backupCmd
    .command('verify <backup>')
    .description("check a backup without a database: manifest, format version, and every file's size and sha256; exits 1 if damaged")
    .action((backupPath: string, _o: unknown, cmd: Command) => {
      const g = globals(cmd, io);
      return run(g, async () => {
        const { formatBytes } = await import('../features/backup/format.js');
        const r = await commands.verifyBackup(backupPath, g);
        return {
          result: r,
          text: () => `${r.backup}: ${r.type} backup intact (${r.files} files, ${formatBytes(r.bytes)}, every sha256 matches)`,
        };
      });
    });
  db.command('restore <backup>')
    .description('verify a backup (manifest and every sha256), then restore it in one transaction')
    .option('--clean', 'drop every user schema first (with --data-only: empty the tables; with --table: delete its rows)')
    .option('--force', 'load on top of what the target has')
    .option('--data-only', 'load the data only, into existing tables (triggers and, as superuser, FK checks off while loading)')
    .option('--table <name>', 'recover one table only: schema.table or table')
    .option('--into <table>', 'with --table: load into this new table (created like the original) to merge by hand')
    .option('-j, --jobs <n>', 'load tables, then build indexes, over n connections (a server; not one transaction then; PGlite runs 1)')
    .action((backupPath: string, o: RestoreFlags, cmd: Command) => {
      const g = globals(cmd, io);
      return run(g, async () => {
        const { restoreText } = await import('./backup-output.js');
        const { checkJobs } = await import('../features/backup/jobs.js');
        const r = await commands.restore(backupPath, {
          ...g,
          clean: o.clean,
          force: o.force,
          dataOnly: o.dataOnly,
          table: o.table,
          into: o.into,
          jobs: o.jobs === undefined ? undefined : checkJobs(o.jobs),
        });
        return { result: r, text: (i) => restoreText(i, r) };
      });
    });
}
