/** How one command treats platform extensions the engine lacks. */
export interface ExtensionSettings {
  /** `[db] stand_ins` (default true). */
  standIns: boolean;
  /** Where announcements go (a command's warnings), each at most once per command. */
  notes: string[];
}

const byEngine = new WeakMap<object, ExtensionSettings>();

/**
 * Sets the extension settings for the commands run on `engine` (its files' `create extension` lines resolve through
 * them). Without it: stand-ins allowed, announcements kept where nothing reads them.
 *
 * @example
 * configureExtensions(engine, { standIns: project.config.db.standIns, notes: sql.warnings });
 */
export function configureExtensions(engine: object, settings: ExtensionSettings): void {
  byEngine.set(engine, settings);
}

export function extensionSettings(engine: object): ExtensionSettings {
  let s = byEngine.get(engine);
  if (!s) byEngine.set(engine, (s = { standIns: true, notes: [] }));
  return s;
}
