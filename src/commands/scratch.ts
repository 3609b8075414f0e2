import { randomBytes } from 'node:crypto';
import type { Target } from '../db/engine.js';
import { openEngine } from '../db/open.js';
import type { Project } from '../core/project/layout.js';
import { createScratchDatabase, databaseFacts, dropDatabase, urlForDatabase } from '../features/migrate/database-swap.js';
import { ensureShimTemplate } from '../features/migrate/shim-template.js';
import { takeSpare } from '../db/postgres/keel-databases.js';
import { nudgeKeeper } from '../db/postgres/project-server.js';
import { commandTarget, engineChoice, prepareDatabase, type CommonOptions } from './context.js';

/**
 * A throwaway database for a command that builds the project to look at it (`keel lint`): with `[db] engine =
 * "local-server"`, a scratch database `keel_scratch_<pid>_<rand>` on the project's server (a copy of the shim template,
 * dropped afterwards, also when `fn` throws) — a connection instead of an engine start-up; otherwise an in-memory PGlite.
 *
 * @example
 * await withScratchTarget(project, opts, (target) => withProjectSql(project, { ...opts, command, target }, build));
 */
export async function withScratchTarget<T>(project: Project, opts: CommonOptions, fn: (target: Target) => Promise<T>): Promise<T> {
  const env = opts.env ?? process.env;
  if (engineChoice(project, env) !== 'local-server') return fn({ kind: 'pglite', memory: true });
  const server = await commandTarget(project, { cwd: opts.cwd, env: { ...env, DATABASE_URL: undefined } });
  if (server.kind !== 'postgres') return fn({ kind: 'pglite', memory: true });
  const name = `keel_scratch_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = await openEngine(server);
  try {
    const facts = await databaseFacts(admin);
    const template = await ensureShimTemplate(admin, server.url, facts, prepareDatabase);
    if (!(await takeSpare((sql) => admin.query(sql), template, name))) await createScratchDatabase(admin, facts, name, template);
  } finally {
    await admin.close();
  }
  try {
    return await fn({ kind: 'postgres', url: urlForDatabase(server.url, name) });
  } finally {
    const again = await openEngine(server);
    try {
      await dropDatabase(again, name);
    } finally {
      await again.close();
      nudgeKeeper(project.serverDir); // a new spare for the next one
    }
  }
}
