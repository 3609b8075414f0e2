/**
 * Layout of the generated TypeScript: one member a line, two spaces, prettier's quoting (keys bare where they can
 * be, strings in double quotes), and the CLI's member order (`Intl.Collator('en')`, made total).
 *
 * @example
 * objectType([{ key: 'id', type: 'string' }, { key: 'my-col', optional: true, type: 'number' }]);
 * // '{\n  id: string\n  "my-col"?: number\n}'
 */
import { quoteKey, quoteString } from './ts-names.js';

const collator = new Intl.Collator('en', { usage: 'sort' });

/** The CLI's member order: `localeCompare` (case- and punctuation-insensitive first), made deterministic. */
export function compareNames(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

export interface Member {
  key: string;
  optional?: boolean;
  /** A type expression (may span lines: then its lines after the first are already indented relative to 0). */
  type: string;
}

export const IND = '  ';

export function indentLines(text: string, by: string): string {
  return text
    .split('\n')
    .map((line, i) => (i === 0 || line === '' ? line : by + line))
    .join('\n');
}

/**
 * `{ a: T; … }` laid out one member a line; `{ [_ in never]: never }` when empty (as the CLI writes). `keyText`
 * prints a key: `quoteKey` for a type, `literalKey` for an object literal (`["__proto__"]`).
 */
export function objectType(members: Member[], emptyAs: 'never' | '{}' = 'never', keyText: (key: string) => string = quoteKey): string {
  if (members.length === 0) return emptyAs === 'never' ? `{\n${IND}[_ in never]: never\n}` : '{}';
  const lines = members.map((m) => {
    const head = `${IND}${keyText(m.key)}${m.optional ? '?' : ''}:`;
    // A multi-line union starts on its own line: `key:\n  | {…}\n  | {…}`.
    return m.type.startsWith('\n') ? `${head}${indentLines(m.type, IND + IND)}` : `${head} ${indentLines(m.type, IND)}`;
  });
  return `{\n${lines.join('\n')}\n}`;
}

export function tupleOf(items: string[]): string {
  if (items.length === 0) return '[]';
  return `[\n${items.map((i) => `${IND}${indentLines(i, IND)},`).join('\n')}\n]`;
}

export function stringArray(values: string[]): string {
  return `[${values.map(quoteString).join(', ')}]`;
}

/** A multi-line union of object types: `\n| {…}\n| {…}` (objectType puts it on the lines after its key). */
export function unionOf(variants: string[]): string {
  return variants.length === 1 ? variants[0]! : `\n${variants.map((v) => `| ${indentLines(v, IND)}`).join('\n')}`;
}
