import fs from 'node:fs';
import path from 'node:path';
import { KeelError } from '../core/errors.js';
import { projectPaths } from '../core/project/layout.js';
import { makeDirs } from '../core/fs.js';

/** npm scripts `init` adds (seed 004's names); existing scripts of the same name are kept. */
export const NPM_SCRIPTS: Record<string, string> = {
  'db:init': 'keel db migrate && keel db seed',
  'db:migrate': 'keel db migrate',
  'db:seed': 'keel db seed',
  'db:backup': 'keel db backup',
  'db:validate': 'keel db validate',
  'db:types': 'keel gen types',
};

const CONFIG = `# Keel configuration. Every key is optional; see README, Configuration.

[migrations]
# Style for \`keel migration new\`: "timestamp" (20250101120000_name.sql) or "sequential" (001_name.sql).
# When unset, Keel follows the files already in supabase/migrations.
# style = "timestamp"

[seed]
# Seed files, relative to supabase/, run in this order after migrations, roles and policies.
paths = ["seed/*.sql", "seed.sql"]
`;

/**
 * Seed 000's folders under supabase/, in its order: the project layout Keel reads, plus `edge-functions/` (the seed's
 * place for Supabase edge function code, which Keel itself does not run).
 */
export const INIT_FOLDERS = ['migrations', 'policies', 'roles', 'edge-functions', 'seed', 'types', 'backups'] as const;

/**
 * supabase/backups/.gitignore: a backup holds the database's rows, personal data included (auth.users' emails and
 * phones, profiles, storage metadata), so none is committed by accident. The folder itself stays in git through this
 * file.
 */
export const BACKUPS_GITIGNORE = `# Backups hold the database's data, personal data included (auth.users, profiles, …): never commit them.
# This file keeps the folder in git; everything else here is ignored. Store backups somewhere access-controlled.
*
!.gitignore
`;

export interface InitResult {
  root: string;
  created: string[];
  kept: string[];
  scriptsAdded: string[];
  scriptsKept: string[];
}

/**
 * `keel init`: the seed-000 layout under supabase/, a keel.toml, a .gitignore entry for the embedded database, and
 * npm scripts — adding what is missing, never overwriting.
 *
 * @example
 * const r = init({ cwd: '/tmp/app' }); r.created // ['supabase/migrations/', …]
 */
export function init(opts: { cwd?: string } = {}): InitResult {
  const root = path.resolve(opts.cwd ?? process.cwd());
  if (!fs.existsSync(root)) throw new KeelError('KEEL_NO_DIR', `${root} does not exist`, { hint: 'create the folder first or fix --cwd' });
  const p = projectPaths(root);
  const created: string[] = [];
  const kept: string[] = [];
  const relp = (f: string) => path.relative(root, f).split(path.sep).join('/');
  for (const folder of INIT_FOLDERS) {
    const dir = path.join(p.supabaseDir, folder);
    if (fs.existsSync(dir)) kept.push(`${relp(dir)}/`);
    else {
      makeDirs(dir);
      if (folder !== 'backups') fs.writeFileSync(path.join(dir, '.gitkeep'), '');
      created.push(`${relp(dir)}/`);
    }
  }
  // Also into a backups/ folder that was there before (an older init, or made by hand): ignoring is never destructive.
  const backupsIgnore = path.join(p.backupsDir, '.gitignore');
  if (!fs.existsSync(backupsIgnore)) {
    fs.writeFileSync(backupsIgnore, BACKUPS_GITIGNORE);
    created.push(relp(backupsIgnore));
  }
  const config = path.join(p.supabaseDir, 'keel.toml');
  if (fs.existsSync(config)) kept.push(relp(config));
  else {
    fs.writeFileSync(config, CONFIG);
    created.push(relp(config));
  }
  const gitignore = path.join(root, '.gitignore');
  const existing = fs.existsSync(gitignore) ? fs.readFileSync(gitignore, 'utf8') : '';
  if (!existing.split(/\r?\n/).some((l) => l.trim() === 'supabase/.keel/')) {
    fs.writeFileSync(
      gitignore,
      `${existing}${existing && !existing.endsWith('\n') ? '\n' : ''}# Keel's embedded database\nsupabase/.keel/\n`,
    );
    created.push('.gitignore entry supabase/.keel/');
  }
  const scriptsAdded: string[] = [];
  const scriptsKept: string[] = [];
  const pkgFile = path.join(root, 'package.json');
  if (fs.existsSync(pkgFile)) {
    const text = fs.readFileSync(pkgFile, 'utf8');
    let pkg: { scripts?: Record<string, string> };
    try {
      pkg = JSON.parse(text) as typeof pkg;
    } catch (err) {
      throw new KeelError('KEEL_BAD_PACKAGE_JSON', `package.json is not valid JSON: ${(err as Error).message}`, {
        hint: 'fix it, then run keel init again',
      });
    }
    pkg.scripts ??= {};
    for (const [name, cmd] of Object.entries(NPM_SCRIPTS)) {
      if (pkg.scripts[name] !== undefined) scriptsKept.push(name);
      else {
        pkg.scripts[name] = cmd;
        scriptsAdded.push(name);
      }
    }
    if (scriptsAdded.length > 0) {
      const indent = /^(\s+)"/m.exec(text)?.[1] ?? '  ';
      fs.writeFileSync(pkgFile, `${JSON.stringify(pkg, null, indent)}\n`);
    }
  }
  return { root, created, kept, scriptsAdded, scriptsKept };
}
