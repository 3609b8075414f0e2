import { Command, CommanderError, Option } from 'commander';
import type * as keel from '../index.js';
import { DbError, KeelError } from '../core/errors.js';
import { fsError } from '../core/fs.js';
import { CHECK_FAMILIES } from '../features/validate/shared.js';
import { KEEL_VERSION } from '../version.js';
import { commands } from './commands.js';
import { registerBackupCommands } from './backup-commands.js';
import { confirm, globals, type Globals, type Outcome, type Run } from './globals.js';
import { defaultIo, errorJson, formatError, type Io } from './print.js';
import * as human from './human.js';
import { rlsMatrix } from './rls-matrix.js';
import { validateProgressLine, validateText } from './validate-output.js';
import { lintReport, ruleList } from './lint-output.js';

/** Builds the program; `run` receives each action's outcome so `main` alone prints and sets the exit code. */
export function buildProgram(io: Io, run: Run, opts: { quietUsage?: boolean } = {}): Command {
  const program = new Command('keel')
    .description('The lifecycle of a Supabase-style Postgres database, on embedded PGlite or any Postgres.')
    .version(KEEL_VERSION)
    .option('--cwd <dir>', 'project root: the folder holding supabase/')
    .option('--db-url <url>', 'database URL (default: $DATABASE_URL, else the embedded database)')
    .option('--memory', 'use a throwaway in-memory embedded database')
    .option('--json', 'print one JSON document on stdout')
    .option('--yes', 'confirm destructive actions')
    .option('--debug', 'print stack traces')
    .showHelpAfterError()
    .exitOverride();
  // quietUsage (--json): commander's usage errors are left to the caller, which prints them as a JSON document
  program.configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => (opts.quietUsage ? undefined : io.err(s.trimEnd())) });

  program
    .command('init')
    .description(
      'create supabase/{migrations,policies,roles,edge-functions,seed,types,backups} (backups/ git-ignored inside), keel.toml, .gitignore entry and npm scripts',
    )
    .action((_o, cmd: Command) => {
      const g = globals(cmd, io);
      return run(g, async () => {
        const r = await commands.init({ cwd: g.cwd });
        return { result: r, text: () => human.init(r) };
      });
    });

  program
    .command('status')
    .description('target, engine, server version, applied/pending counts and drift')
    .action((_o, cmd: Command) => {
      const g = globals(cmd, io);
      return run(g, async () => {
        const r = await commands.status(g);
        return { result: r, exitCode: r.refused.length > 0 ? 1 : 0, text: (i) => human.status(i, r) };
      });
    });

  const db = program.command('db').description('database commands');
  const migrateCmd = (c: Command) =>
    c
      .option('--to <version>', 'stop after this version')
      .option('--dry-run', 'print what would run; change nothing')
      .option('--no-backup', 'skip the full backup taken before migrating a database that is not local')
      .action((o: { to?: string; dryRun?: boolean; backup?: boolean }, cmd: Command) => {
        const g = globals(cmd, io);
        return run(g, async () => {
          const r = await commands.migrate({ ...g, to: o.to, dryRun: o.dryRun, noBackup: o.backup === false });
          return { result: r, text: (i) => (r.backup ? `backed up first: ${r.backup.path}\n` : '') + human.migrate(i, r) };
        });
      });
  migrateCmd(db.command('migrate').description('apply pending migrations, then roles/ and policies/'));
  migrateCmd(db.command('push').description('alias of `keel db migrate` (the Supabase CLI name)'));
  db.command('reset')
    .description('drop every user schema, then migrate, apply roles and policies, and seed')
    .option('--no-seed', 'skip seed files')
    .action((o: { seed: boolean }, cmd: Command) => {
      const g = globals(cmd, io);
      return run(g, async () => {
        const r = await commands.reset({ ...g, noSeed: !o.seed, confirm });
        return { result: r, text: (i) => human.reset(i, r) };
      });
    });
  db.command('seed')
    .description('run seed files (unchanged ones are skipped)')
    .option('--force', 'run even seed files whose hash is unchanged')
    .option('--dry-run', 'print what would run; change nothing')
    .action((o: { force?: boolean; dryRun?: boolean }, cmd: Command) => {
      const g = globals(cmd, io);
      return run(g, async () => {
        const r = await commands.seed({ ...g, force: o.force, dryRun: o.dryRun });
        return { result: r, text: (i) => human.seed(i, r) };
      });
    });
  db.command('start')
    .description(
      'start the project\'s engine and keep it running (the embedded engine host, or the local server of [db] engine = "local-server"); stops after 10 idle minutes',
    )
    .action((_o, cmd: Command) => {
      const g = globals(cmd, io);
      return run(g, async () => {
        const r = await commands.dbStart(g);
        return { result: r, text: () => human.dbStart(r) };
      });
    });
  db.command('stop')
    .description("stop the project's engine started by `keel db start` or by a command")
    .action((_o, cmd: Command) => {
      const g = globals(cmd, io);
      return run(g, async () => {
        const r = await commands.dbStop(g);
        return { result: r, text: () => human.dbStop(r) };
      });
    });
  db.command('serve')
    .description(
      'serve the embedded database to psql and GUIs over the PostgreSQL protocol on 127.0.0.1, in the foreground (one client at a time, no SSL, no password); Ctrl-C stops it',
    )
    .option('--port <port>', 'TCP port on 127.0.0.1 (0: any free port)', '54329')
    .action(async (o: { port: string }, cmd: Command) => {
      const g = globals(cmd, io);
      let server: Awaited<ReturnType<typeof commands.dbServe>> | undefined;
      await run(g, async () => {
        if (!/^\d+$/.test(o.port)) {
          throw new KeelError('KEEL_BAD_OPTION', `--port must be a port number from 0 to 65535, not "${o.port}"`);
        }
        server = await commands.dbServe({ ...g, port: Number(o.port) });
        const r = server.result;
        const what = r.memory ? 'a throwaway build of the project' : r.dataDir;
        return { result: r, text: () => `serving ${what} at ${r.url}\none client at a time; Ctrl-C stops` };
      });
      if (!server) return;
      const stop = () => void server!.close();
      process.once('SIGINT', stop).once('SIGTERM', stop);
      try {
        await server.closed;
      } finally {
        process.off('SIGINT', stop).off('SIGTERM', stop);
      }
    });
  db.command('ping')
    .description('connect and measure the round trip')
    .action((_o, cmd: Command) => {
      const g = globals(cmd, io);
      return run(g, async () => {
        const r = await commands.ping(g);
        return { result: r, text: () => `${r.target}: ${r.engine}, server ${r.serverVersion}, ${r.latencyMs} ms (median of ${r.samples})` };
      });
    });
  db.command('validate')
    .description('find orphaned rows, constraint violations, sequences behind, inconsistent data and RLS gaps (read-only)')
    .option(
      '--schema <name>',
      'schema to validate, also the exposed schemas for RLS (repeatable; default: keel.toml schemas, else every user schema)',
      (v: string, prev: string[] = []) => [...prev, v],
    )
    .option('--only <checks>', `run only these checks, comma-separated: ${CHECK_FAMILIES.join(', ')}`)
    .addHelpText(
      'after',
      '\nExit code: 1 when any finding is at level error or warn; info findings (implied references, passing RLS tables) alone exit 0.',
    )
    .action((o: { schema?: string[]; only?: string }, cmd: Command) => {
      const g = globals(cmd, io);
      return run(g, async () => {
        const onProgress = g.onFile
          ? (e: keel.ValidateProgress) => {
              const line = validateProgressLine(io, e);
              if (line) io.err(line);
            }
          : undefined;
        const r = await commands.validate({ ...g, schemas: o.schema, only: o.only ? [o.only] : undefined, onProgress });
        return { result: r, exitCode: r.summary.ok ? 0 : 1, text: (i) => validateText(i, r) };
      });
    });

  registerBackupCommands(db, io, run);

  const migration = program.command('migration').description('migration files and history');
  migration
    .command('new <name>')
    .description('create the next migration file in the project style')
    .addOption(new Option('--style <style>', 'file name style').choices(['sequential', 'timestamp']))
    .action((name: string, o: { style?: 'sequential' | 'timestamp' }, cmd: Command) => {
      const g = globals(cmd, io);
      return run(g, async () => {
        const r = await commands.newMigration(name, { ...g, style: o.style });
        return { result: r, text: () => `created ${r.file}` };
      });
    });
  migration
    .command('list')
    .description('local files against the database history')
    .action((_o, cmd: Command) => {
      const g = globals(cmd, io);
      return run(g, async () => {
        const r = await commands.status(g);
        return { result: r, exitCode: r.changed.length + r.missing.length + r.refused.length > 0 ? 1 : 0, text: (i) => human.status(i, r) };
      });
    });
  migration
    .command('repair <versions...>')
    .description('mark versions applied or reverted in the history, without running SQL')
    .addOption(new Option('--status <status>', 'new status').choices(['applied', 'reverted']).makeOptionMandatory())
    .action((versions: string[], o: { status: 'applied' | 'reverted' }, cmd: Command) => {
      const g = globals(cmd, io);
      return run(g, async () => {
        const r = await commands.repair(versions, { ...g, status: o.status });
        return { result: r, text: () => r.repaired.map((x) => `${x.version}: ${x.status}`).join('\n') };
      });
    });
  migrateCmd(migration.command('up').description('alias of `keel db migrate`'));
  const gen = program.command('gen').description('generate code from the database');
  gen
    .command('types')
    .description('supabase-js Database types, camelCase interfaces and Zod schemas, into supabase/types/')
    .option('--output <dir>', 'output folder, or - for the supabase-js types on stdout')
    .option('--schema <name>', 'schema to include (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--check', 'write nothing; exit 1 when a file is missing or stale')
    .action((o: { output?: string; schema?: string[]; check?: boolean }, cmd: Command) => {
      const g = globals(cmd, io);
      return run(g, async () => {
        const r = await commands.genTypes({ ...g, output: o.output, schemas: o.schema, check: o.check });
        const exitCode = o.check && r.stale.length > 0 ? 1 : 0;
        const text = () =>
          r.stdout !== undefined
            ? r.stdout.trimEnd()
            : o.check
              ? r.stale.length
                ? `stale: ${r.stale.join(', ')} (run keel gen types)`
                : `types are up to date (${r.files.map((f) => f.file).join(', ')})`
              : r.files.map((f) => `${f.changed ? 'wrote' : 'unchanged'} ${f.file} (${f.bytes} bytes)`).join('\n');
        return { result: r, exitCode, text };
      });
    });
  program
    .command('lint')
    .description(
      'security advisor (splinter rules), SQL bugs, seed conventions and migration safety (squawk rules); without --db-url it lints the project built in memory',
    )
    .addOption(
      new Option('--fail-on <level>', 'lowest level that exits 1 (default: [lint] fail_on, else error)').choices(['error', 'warn', 'info']),
    )
    .addOption(new Option('--format <format>', 'output format').choices(['human', 'json', 'sarif']).default('human'))
    .option('--database', 'lint the database as it is (the embedded one unless --db-url/DATABASE_URL, which imply this)')
    .option('--since <version>', 'project mode: migrations up to this version count as deployed')
    .option('--rule <id>', 'run only this rule (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--no-conventions', 'skip the seed-convention rules')
    .option('--list-rules', 'list the rules and their levels, and exit')
    .option('--no-cache', 'project mode: build the project even when the same files were built before')
    .action(
      (
        o: {
          failOn?: 'error' | 'warn' | 'info';
          format: string;
          since?: string;
          rule?: string[];
          conventions: boolean;
          listRules?: boolean;
          database?: boolean;
          cache: boolean;
        },
        cmd: Command,
      ) => {
        const g = globals(cmd, io);
        const json = g.json || o.format === 'json';
        return run({ ...g, json, errorFormat: json ? 'json' : o.format === 'sarif' ? 'sarif' : undefined }, async () => {
          if (o.listRules) {
            const rules = await commands.listRules(g);
            return { result: { rules }, text: (i) => ruleList(i, rules) };
          }
          const r = await commands.lint({
            ...g,
            failOn: o.failOn,
            since: o.since,
            rules: o.rule,
            conventions: o.conventions,
            database: o.database,
            cache: o.cache,
          });
          const sarif = o.format === 'sarif' ? await commands.toSarif(r) : undefined;
          const text = (i: Io) => (sarif ? JSON.stringify(sarif, null, 2) : lintReport(i, r));
          return { result: r, exitCode: r.failed ? 1 : 0, text };
        });
      },
    );
  const test = program.command('test').description('test the database');
  test
    .command('rls')
    .description('check every persona x table x operation of supabase/tests/rls.yaml (after a reset)')
    .option('--spec <file>', 'spec file (default supabase/tests/rls.yaml)')
    .option('--no-reset', 'use the database as it is')
    .option('--no-probe', 'skip the cross-tenant probe')
    .action((o: { spec?: string; reset: boolean; probe: boolean }, cmd: Command) => {
      const g = globals(cmd, io);
      return run(g, async () => {
        const r = await commands.testRls({ ...g, spec: o.spec, noReset: !o.reset, noProbe: !o.probe });
        return { result: r, exitCode: r.ok ? 0 : 1, text: (i) => rlsMatrix(i, r) };
      });
    });
  test
    .command('db [paths...]')
    .description('run pgTAP suites (supabase/tests/**/*.sql, *.pg) after a reset, each file in a fresh session as pg_prove runs it')
    .option('--no-reset', 'use the database as it is')
    .option('--isolate', "run each file in a transaction rolled back afterwards (the file's own begin/commit/rollback dropped)")
    .option(
      '--timeout <seconds>',
      "longest a single statement may run on a server (default 120); PGlite's watchdog is KEEL_PGLITE_TIMEOUT_MS",
    )
    .action((paths: string[], o: { reset: boolean; isolate?: boolean; timeout?: string }, cmd: Command) => {
      const g = globals(cmd, io);
      return run(g, async () => {
        const timeout = o.timeout === undefined ? undefined : Number(o.timeout);
        if (timeout !== undefined && !(timeout > 0))
          throw new KeelError('KEEL_USAGE', `--timeout must be a number of seconds, got ${o.timeout}`);
        const { testDbReport } = await import('./test-db-output.js');
        const r = await commands.testDb({
          ...g,
          paths,
          noReset: !o.reset,
          isolate: o.isolate,
          statementTimeoutMs: timeout && timeout * 1000,
        });
        return { result: r, exitCode: r.ok ? 0 : 1, text: (i) => testDbReport(i, r, { debug: g.debug }) };
      });
    });
  return program;
}

/**
 * Runs the CLI and returns its exit code. The only place that prints (through `io`).
 *
 * @example
 * process.exitCode = await main(['db', 'migrate', '--json']);
 */
export async function main(argv: string[], io: Io = defaultIo()): Promise<number> {
  let exitCode = 0;
  let debug = argv.includes('--debug');
  let errorFormat = (argv.includes('--json') ? 'json' : undefined) as Globals['errorFormat'];
  const run = async (g: Globals, fn: () => Promise<Outcome>) => {
    debug = Boolean(g.debug);
    errorFormat = g.json ? 'json' : g.errorFormat;
    const outcome = await fn();
    exitCode = outcome.exitCode ?? 0;
    io.out(g.json ? JSON.stringify({ ok: exitCode === 0, ...(outcome.result as object) }, null, 2) : outcome.text(io));
  };
  // Under --json a usage error is a JSON document on stdout like any other error, not commander's text on stderr.
  const program = buildProgram(io, run, { quietUsage: errorFormat === 'json' });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode === 0) return 0;
      if (errorFormat === 'json') {
        const usage = new KeelError('KEEL_USAGE', err.message.replace(/^error: /, ''), { hint: 'see keel --help' });
        io.out(JSON.stringify(errorJson(usage), null, 2));
      }
      return 2;
    }
    const e = err instanceof KeelError || !(err instanceof Error) ? err : toKeel(err);
    if (errorFormat === 'sarif') io.out(JSON.stringify(sarifError(e), null, 2));
    else if (errorFormat === 'json') io.out(JSON.stringify(errorJson(e), null, 2));
    else io.err(formatError(io, e, debug));
    return e instanceof KeelError && USAGE_CODES.has(e.code) ? 2 : 1;
  }
}

/** Errors in how the command was called (exit 2, as for commander's own usage errors): the input, not the database. */
const USAGE_CODES = new Set(['KEEL_USAGE', 'KEEL_BAD_OPTION', 'KEEL_BAD_URL', 'KEEL_BAD_NAME']);

/**
 * A SARIF 2.1.0 log for a run that could not lint (the project did not build, say): no results, the invocation
 * marked unsuccessful with the error as its notification, and Keel's `{ ok: false, error }` in the log's properties.
 */
function sarifError(err: unknown): Record<string, unknown> {
  const doc = errorJson(err);
  const error = doc.error as { message?: string; location?: { file: string; line: number; column: number } };
  const location = error.location && {
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: error.location.file, uriBaseId: '%SRCROOT%' },
          region: { startLine: error.location.line, startColumn: error.location.column },
        },
      },
    ],
  };
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'keel', version: KEEL_VERSION, rules: [] } },
        invocations: [
          {
            executionSuccessful: false,
            toolExecutionNotifications: [{ level: 'error', message: { text: error.message ?? 'keel lint failed' }, ...location }],
          },
        ],
        results: [],
      },
    ],
    properties: doc,
  };
}

/** Database errors that escape a feature without a file (e.g. in status) still get a clean one-line report. */
function toKeel(err: Error): unknown {
  if (err instanceof DbError)
    return new KeelError('KEEL_DB_ERROR', err.message, { sqlState: err.code, detail: err.detail, hint: err.hint });
  return fsError(err) ?? err;
}
