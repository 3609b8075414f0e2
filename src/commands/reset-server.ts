import type { Engine } from '../db/engine.js';
import { configureExtensions, extensionSettings } from '../db/extensions/settings.js';
import { isRealSupabase } from '../db/shim/supabase-shim.js';
import { userSchemas } from '../features/migrate/reset.js';
import {
  createScratchDatabase,
  databaseFacts,
  dropDatabase,
  dropLeftoverDatabases,
  scratchNames,
  swapDatabases,
  urlForDatabase,
  type DatabaseFacts,
} from '../features/migrate/database-swap.js';
import type { Project } from '../core/project/layout.js';
import { ensureShimTemplate } from '../features/migrate/shim-template.js';
import { takeSpare } from '../db/postgres/keel-databases.js';
import { nudgeKeeper } from '../db/postgres/project-server.js';
import { prepareDatabase, withEngine, withProjectSql } from './context.js';
import { buildOn, confirmReset, resetOn, type ResetOptions, type ResetResult } from './reset.js';

/** Why this server database cannot be recreated (then it is reset in place), or undefined when it can. */
async function whyInPlace(engine: Engine, facts: DatabaseFacts, url: string, opts: ResetOptions): Promise<string | undefined> {
  if (opts.mode === 'in-place') return 'asked for (mode in-place)';
  if (!engine.capabilities.local) return 'the database is not on this machine';
  if (await isRealSupabase(engine)) return "it is a Supabase database (its platform schemas are the platform's to create)";
  if (!facts.superuser && !(facts.createdb && facts.owner)) {
    return `role ${facts.user} may not create databases (CREATEDB) or does not own ${facts.name}`;
  }
  if (facts.serverPort !== null && facts.serverPort !== urlPort(url))
    return 'connected through a pooler or proxy (a new database may not be reachable through it)';
  if (facts.name === 'template1' || facts.name === 'template0') return `${facts.name} is a template database`;
  return undefined;
}

function urlPort(url: string): number {
  try {
    const u = new URL(url);
    return Number(u.port || u.searchParams.get('port') || 5432);
  } catch {
    return 5432;
  }
}

/**
 * `keel db reset --db-url` on a server. Where the database is local, is Keel's (not Supabase's), and the role may create
 * databases: the project is built into a scratch database `<db>_keel_reset_<rand>` (the shim installed in it), which
 * then takes the database's name in one transaction on the maintenance database, and the old one is dropped. A failure
 * before the swap drops the scratch database and leaves the old one untouched. Anywhere else: in place. On Keel's own
 * local server the scratch database is a copy of a template that already holds the shim (shim-template.ts) — the spare
 * copy the keeper keeps ready, renamed, when there is one — and the replaced database is left for the keeper to drop.
 */
export async function resetServer(project: Project, url: string, opts: ResetOptions & { keelServer?: boolean }): Promise<ResetResult> {
  const started = performance.now();
  const planned = await withProjectSql(project, { ...opts, command: 'keel db reset' }, async (engine, sql) => {
    await confirmReset(engine, opts);
    const facts = await databaseFacts(engine);
    const reason = await whyInPlace(engine, facts, url, opts);
    if (reason) return { done: await resetOn(engine, sql, { ...opts, yes: true, inPlaceReason: reason }) };
    await dropLeftoverDatabases(engine, facts);
    const names = scratchNames(facts.name);
    const template = opts.keelServer ? await ensureShimTemplate(engine, url, facts, prepareDatabase) : undefined;
    const spare = template !== undefined && (await takeSpare((sql) => engine.query(sql), template, names.scratch));
    if (!spare) await createScratchDatabase(engine, facts, names.scratch, template);
    try {
      const scratchTarget = { kind: 'postgres' as const, url: urlForDatabase(url, names.scratch) };
      const result = await withEngine(project, { ...opts, command: 'keel db reset', target: scratchTarget }, (scratch) => {
        configureExtensions(scratch, extensionSettings(engine)); // [db] stand_ins and the announcements, as on the target
        return buildOn(scratch, sql, opts, { mode: 'new-database' });
      });
      return { swap: { names, facts, result: { ...result, target: engine.target, dropped: await userSchemas(engine) } } };
    } catch (err) {
      await dropDatabase(engine, names.scratch).catch(() => undefined);
      throw err;
    }
  });
  if (planned.done) return { ...planned.done, durationMs: performance.now() - started };
  const { names, facts, result } = planned.swap;
  // the target's own pool is closed by now: the rename needs it to have no sessions
  const warnings = await swapDatabases(url, facts, names, { deferDrop: opts.keelServer });
  if (opts.keelServer) nudgeKeeper(project.serverDir); // drop the old database, make the next spare: now, not in 5 s
  return { ...result, replaced: true, warnings: [...result.warnings, ...warnings], durationMs: performance.now() - started };
}
