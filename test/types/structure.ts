/**
 * Structural comparison of two supabase-js `Database` type files (Keel's and the Supabase CLI's), independent of
 * formatting, quoting and member order. Parses with the TypeScript compiler API.
 *
 * @example
 * const diffs = compareSupabaseTypes(keelText, cliText);
 * // ['public.Tables.items.Row.ip: keel `string|null`, cli `unknown`']
 */
import ts from 'typescript';

/** Canonical text of a type: no whitespace, `"` quotes, keys unquoted and sorted, union members sorted. */
export function canonicalType(node: ts.TypeNode): string {
  if (ts.isParenthesizedTypeNode(node)) return canonicalType(node.type);
  if (ts.isTypeLiteralNode(node)) {
    const members = node.members
      .filter(ts.isPropertySignature)
      .map((m) => `${memberName(m)}${m.questionToken ? '?' : ''}:${m.type ? canonicalType(m.type) : 'any'}`)
      .sort();
    return `{${members.join(';')}}`;
  }
  if (ts.isUnionTypeNode(node)) return node.types.map(canonicalType).sort().join('|');
  if (ts.isArrayTypeNode(node)) {
    const el = canonicalType(node.elementType);
    return ts.isUnionTypeNode(unparen(node.elementType)) ? `(${el})[]` : `${el}[]`;
  }
  return node.getText().replace(/\s+/g, '').replace(/'/g, '"');
}

function unparen(node: ts.TypeNode): ts.TypeNode {
  return ts.isParenthesizedTypeNode(node) ? unparen(node.type) : node;
}

function memberName(m: ts.TypeElement): string {
  const n = m.name;
  if (!n) return '';
  if (ts.isIdentifier(n) || ts.isStringLiteral(n) || ts.isNumericLiteral(n)) return n.text;
  return n.getText();
}

function membersOf(node: ts.TypeNode | undefined): Map<string, ts.PropertySignature> {
  const out = new Map<string, ts.PropertySignature>();
  const n = node && unparen(node);
  if (n && ts.isTypeLiteralNode(n)) for (const m of n.members) if (ts.isPropertySignature(m)) out.set(memberName(m), m);
  return out;
}

/**
 * Flattens `Database` into `path → value` facts: names of tables, views, functions, enums, composites; per
 * relation the key set of Row/Insert/Update with optionality and canonical type; per function the sorted variants
 * (Args and Returns); per enum its values.
 */
export function supabaseTypesFacts(source: string): Map<string, string> {
  const file = ts.createSourceFile('types.ts', source, ts.ScriptTarget.ES2022, true);
  const alias = file.statements.find((s): s is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(s) && s.name.text === 'Database');
  if (!alias) throw new Error('no `type Database` in the file');
  const facts = new Map<string, string>();
  for (const [schema, s] of membersOf(alias.type)) {
    const sections = membersOf(s.type);
    for (const section of ['Tables', 'Views']) {
      for (const [rel, r] of membersOf(sections.get(section)?.type)) {
        const parts = membersOf(r.type);
        facts.set(`${schema}.${section}.${rel}`, [...parts.keys()].filter((k) => ['Row', 'Insert', 'Update'].includes(k)).sort().join(','));
        const rels = parts.get('Relationships')?.type;
        const relsNode = rels && unparen(rels);
        if (relsNode && ts.isTupleTypeNode(relsNode)) {
          const list = relsNode.elements.map((e) => {
            const m = membersOf(e as ts.TypeNode);
            const get = (k: string) => {
              const t = m.get(k)?.type;
              return t ? canonicalType(t) : '';
            };
            return `${get('foreignKeyName')}${get('columns')}->${get('referencedRelation')}${get('referencedColumns')}${get('isOneToOne') === 'true' ? ' 1:1' : ''}`;
          });
          facts.set(`${schema}.${section}.${rel}.Relationships`, list.sort().join(' ; '));
        }
        for (const part of ['Row', 'Insert', 'Update']) {
          for (const [col, c] of membersOf(parts.get(part)?.type)) {
            facts.set(`${schema}.${section}.${rel}.${part}.${col}`, `${c.questionToken ? '?' : ''}${c.type ? canonicalType(c.type) : ''}`);
          }
        }
      }
    }
    for (const [fn, f] of membersOf(sections.get('Functions')?.type)) {
      const t = f.type && unparen(f.type);
      const variants = t && ts.isUnionTypeNode(t) ? t.types : t ? [t] : [];
      const text = variants
        .map((v) => {
          const m = membersOf(v);
          const args = m.get('Args')?.type;
          const ret = m.get('Returns')?.type;
          return `(${args ? canonicalType(args) : ''})=>${ret ? canonicalType(ret) : ''}`;
        })
        .sort()
        .join(' || ');
      facts.set(`${schema}.Functions.${fn}`, text);
    }
    for (const [en, e] of membersOf(sections.get('Enums')?.type)) facts.set(`${schema}.Enums.${en}`, e.type ? canonicalType(e.type) : '');
    for (const [ct, c] of membersOf(sections.get('CompositeTypes')?.type)) facts.set(`${schema}.CompositeTypes.${ct}`, c.type ? canonicalType(c.type) : '');
  }
  return facts;
}

/** Every fact that differs: `path: keel `a`, cli `b`` (`<absent>` when one side lacks it). */
export function compareSupabaseTypes(keel: string, cli: string): string[] {
  const a = supabaseTypesFacts(keel);
  const b = supabaseTypesFacts(cli);
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort();
  return keys
    .filter((k) => a.get(k) !== b.get(k))
    .map((k) => `${k}: keel \`${a.get(k) ?? '<absent>'}\`, cli \`${b.get(k) ?? '<absent>'}\``);
}
