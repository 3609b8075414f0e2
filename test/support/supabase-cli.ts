/**
 * Runs the real Supabase CLI (npm package `supabase`, a devDependency) against a database URL, for the compatibility
 * tests in test/integration/supabase-cli.test.ts. No Docker, no login and no network are needed for the commands used
 * there (`migration list`, `migration repair`, `db push`, each with `--remote=<db-url>`).
 *
 * - The binary: `KEEL_SUPABASE_CLI` (a path), else the platform binary that the `supabase` npm package ships in its
 *   optional dependency `@supabase/cli-<os>-<arch>` (v3), else the `bin/supabase` that v1/v2 downloaded on install.
 * - Each run gets a throwaway HOME (telemetry and update checks off, nothing read from the developer's ~/.supabase),
 *   `--workdir`, no stdin and a time limit.
 *
 * @example
 * const cli = await openSupabaseCli();
 * if (cli) {
 *   const run = await cli.run(['migration', 'list', ...cli.dbArgs(db.url)], { workdir: project.root });
 *   parseMigrationList(run.stdout); // [{ local: '20240101000000', remote: '20240101000000', time: '…' }]
 *   await cli.dispose();
 * }
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);

export interface CliRun {
  /** Exit code (a killed or timed-out run counts as non-zero). */
  code: number;
  stdout: string;
  stderr: string;
}

export interface SupabaseCli {
  bin: string;
  /** `supabase --version`, e.g. `3.1.0`. */
  version: string;
  major: number;
  /** Flags that target a database URL: `--remote=<url>` (v3), `--db-url <url>` (v1/v2, deprecated in v3). */
  dbArgs(url: string): string[];
  /** Runs `supabase <args> --workdir <workdir>`; never throws for a non-zero exit. */
  run(args: string[], opts: { workdir: string; timeoutMs?: number }): Promise<CliRun>;
  /** Removes the throwaway HOME. */
  dispose(): Promise<void>;
}

/** Platform packages of the v3 npm package, in the order its own launcher (dist/supabase.js) tries them. */
const PLATFORM_PACKAGES: Partial<Record<NodeJS.Platform, Partial<Record<string, string[]>>>> = {
  darwin: { arm64: ['darwin-arm64'], x64: ['darwin-x64'] },
  linux: { arm64: ['linux-arm64', 'linux-arm64-musl'], x64: ['linux-x64', 'linux-x64-musl'] },
  win32: { arm64: ['windows-arm64'], x64: ['windows-x64'] },
};

/** Path of the Supabase CLI binary, or undefined when it is not installed. */
export function findSupabaseCli(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const override = env.KEEL_SUPABASE_CLI;
  if (override) return fs.existsSync(override) ? path.resolve(override) : undefined;
  let pkgJson: string;
  try {
    pkgJson = require.resolve('supabase/package.json');
  } catch {
    return undefined;
  }
  const ext = process.platform === 'win32' ? '.exe' : '';
  const fromPkg = createRequire(pkgJson);
  for (const suffix of PLATFORM_PACKAGES[process.platform]?.[os.arch()] ?? []) {
    try {
      const bin = path.join(path.dirname(fromPkg.resolve(`@supabase/cli-${suffix}/package.json`)), 'bin', `supabase${ext}`);
      if (fs.existsSync(bin)) return bin;
    } catch {
      // not this platform package
    }
  }
  const legacy = path.join(path.dirname(pkgJson), 'bin', `supabase${ext}`); // v1/v2: downloaded by postinstall
  return fs.existsSync(legacy) ? legacy : undefined;
}

/**
 * Must the CLI tests run? Under CI when `supabase` is a devDependency of this repository (then a missing binary is a
 * failure, never a skip), or whenever `KEEL_SUPABASE_CLI` names one.
 */
export function supabaseCliRequired(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.KEEL_SUPABASE_CLI) return true;
  if (!env.CI) return false;
  const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    devDependencies?: Record<string, string>;
  };
  return 'supabase' in (pkg.devDependencies ?? {});
}

/** The installed CLI, ready to run; undefined when no binary is found. Throws when one is found but does not start. */
export async function openSupabaseCli(env: NodeJS.ProcessEnv = process.env): Promise<SupabaseCli | undefined> {
  const bin = findSupabaseCli(env);
  if (!bin) return undefined;
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-supabase-home-'));
  const childEnv: NodeJS.ProcessEnv = {
    PATH: env.PATH ?? '',
    HOME: home,
    USERPROFILE: home,
    SUPABASE_HOME: path.join(home, '.supabase'),
    SUPABASE_TELEMETRY_DISABLED: '1',
    DO_NOT_TRACK: '1',
    SUPABASE_NO_UPDATE_NOTIFIER: '1',
    // The test server has no TLS; without this the CLI tries TLS first and prints a warning.
    PGSSLMODE: 'disable',
    NO_COLOR: '1',
    TZ: 'UTC',
    ...(env.SYSTEMROOT && { SYSTEMROOT: env.SYSTEMROOT }),
  };
  const exec = (args: string[], cwd: string, timeoutMs: number) =>
    new Promise<CliRun>((resolve) => {
      const child = execFile(
        bin,
        args,
        { cwd, env: childEnv, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, windowsHide: true },
        (err, stdout, stderr) => {
          const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
          const killed = err && (err as { killed?: boolean }).killed ? `\n[killed after ${timeoutMs} ms]` : '';
          resolve({ code, stdout: String(stdout), stderr: String(stderr) + killed });
        },
      );
      child.stdin?.end(); // no stdin: the CLI must never wait for an answer
    });
  const probe = await exec(['--version'], home, 30_000);
  const version = /\d+\.\d+\.\d+\S*/.exec(probe.stdout)?.[0];
  if (probe.code !== 0 || !version) {
    fs.rmSync(home, { recursive: true, force: true });
    throw new Error(`${bin} --version failed (exit ${probe.code}): ${probe.stdout}${probe.stderr}`);
  }
  const major = Number(version.split('.')[0]);
  return {
    bin,
    version,
    major,
    dbArgs: (url) => (major >= 3 ? [`--remote=${url}`] : ['--db-url', url]),
    run: (args, opts) =>
      exec([...args, '--workdir', opts.workdir, ...(major >= 3 ? ['--agent', 'no'] : [])], opts.workdir, opts.timeoutMs ?? 60_000),
    dispose: async () => fs.rmSync(home, { recursive: true, force: true }),
  };
}

export interface MigrationListRow {
  local: string;
  remote: string;
  time: string;
}

/**
 * Rows of the table `supabase migration list` prints: ` Local | Remote | Time (UTC) `, a dashed rule, then one row per
 * version (v3 wraps each cell in backticks; an empty cell is blank).
 *
 * @example
 * parseMigrationList('  Local | Remote | Time (UTC)\n  ---|---|---\n  `001` | `001` | `001`')
 * // [{ local: '001', remote: '001', time: '001' }]
 */
export function parseMigrationList(stdout: string): MigrationListRow[] {
  const lines = stdout.split(/\r?\n/).filter((l) => /[|│]/.test(l));
  const cells = (line: string) =>
    line.split(/[|│]/).map((c) =>
      c
        .trim()
        .replace(/^`+|`+$/g, '')
        .trim(),
    );
  const header = lines.findIndex((l) => /\blocal\b/i.test(l) && /\bremote\b/i.test(l));
  if (header < 0) throw new Error(`no "Local | Remote" table in the output of supabase migration list:\n${stdout}`);
  const names = cells(lines[header]!).map((c) => c.toLowerCase());
  const col = (name: string) => names.findIndex((n) => n.startsWith(name));
  const [iLocal, iRemote, iTime] = [col('local'), col('remote'), col('time')];
  return lines
    .slice(header + 1)
    .map(cells)
    .filter((row) => !row.every((c) => /^[-─┼]*$/.test(c)))
    .map((row) => ({ local: row[iLocal] ?? '', remote: row[iRemote] ?? '', time: iTime < 0 ? '' : (row[iTime] ?? '') }));
}
