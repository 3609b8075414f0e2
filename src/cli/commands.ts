/**
 * The library's commands as the CLI calls them, each module imported on first use: a CLI run loads only what its
 * own command needs (importing the whole library costs ~0.15 s of start-up on every run).
 *
 * @example
 * const r = await commands.status({ cwd: '.' });
 */
type AnyFn = (...args: never[]) => unknown;

function lazy<M extends Record<K, AnyFn>, K extends keyof M>(load: () => Promise<M>, name: K) {
  return async (...args: Parameters<M[K]>): Promise<Awaited<ReturnType<M[K]>>> => {
    const mod = await load();
    return (await (mod[name] as (...a: Parameters<M[K]>) => unknown)(...args)) as Awaited<ReturnType<M[K]>>;
  };
}

const migrateModule = () => import('../commands/migrate.js');
const migrationModule = () => import('../commands/migration.js');
const statusModule = () => import('../commands/status.js');
const lintModule = () => import('../commands/lint.js');
const backupModule = () => import('../commands/backup.js');
const dbServerModule = () => import('../commands/db-server.js');

export const commands = {
  init: lazy(() => import('../commands/init.js'), 'init'),
  migrate: lazy(migrateModule, 'migrate'),
  seed: lazy(migrateModule, 'seed'),
  reset: lazy(() => import('../commands/reset.js'), 'reset'),
  status: lazy(statusModule, 'status'),
  ping: lazy(statusModule, 'ping'),
  newMigration: lazy(migrationModule, 'newMigration'),
  repair: lazy(migrationModule, 'repair'),
  genTypes: lazy(() => import('../commands/gen-types.js'), 'genTypes'),
  testRls: lazy(() => import('../commands/test-rls.js'), 'testRls'),
  testDb: lazy(() => import('../commands/test-db.js'), 'testDb'),
  lint: lazy(lintModule, 'lint'),
  listRules: lazy(lintModule, 'listRules'),
  toSarif: lazy(() => import('../features/lint/sarif.js'), 'toSarif'),
  validate: lazy(() => import('../commands/validate.js'), 'validate'),
  backup: lazy(backupModule, 'backup'),
  backupPrune: lazy(backupModule, 'backupPrune'),
  restore: lazy(backupModule, 'restore'),
  verifyBackup: lazy(backupModule, 'verify'),
  dbStart: lazy(dbServerModule, 'dbStart'),
  dbStop: lazy(dbServerModule, 'dbStop'),
  dbServe: lazy(() => import('../commands/db-serve.js'), 'dbServe'),
};
