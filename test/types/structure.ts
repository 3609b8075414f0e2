/**
 * Key-by-key comparison of two supabase-js `Database` type files (Keel's and the Supabase CLI's), independent of
 * formatting, quote style, member order, union order and the order of tuple elements (Relationships). Parses with
 * the TypeScript compiler API and flattens both files into `path → value` facts: every key of every object type
 * under `Database` (its key set with `?` markers, then each member), each leaf as canonical text; the runtime
 * `Constants` object; and the names of the exported helper types.
 *
 * @example
 * const diffs = compareSupabaseTypes(keelText, cliText);
 * // ['public.Tables.items.Row.ip: keel `null|string`, cli `unknown`']
 */
import ts from 'typescript';

/** Canonical text of a type: no whitespace, `"` quotes, keys sorted, union members and tuple elements sorted. */
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
  if (ts.isIntersectionTypeNode(node)) return node.types.map(canonicalType).sort().join('&');
  if (ts.isTupleTypeNode(node))
    return `[${node.elements
      .map((e) => canonicalType(e as ts.TypeNode))
      .sort()
      .join(',')}]`;
  if (ts.isArrayTypeNode(node)) {
    const el = canonicalType(node.elementType);
    return ts.isUnionTypeNode(unparen(node.elementType)) ? `(${el})[]` : `${el}[]`;
  }
  if (ts.isTypeReferenceNode(node) && node.typeArguments?.length) {
    return `${node.typeName.getText()}<${node.typeArguments.map(canonicalType).join(',')}>`;
  }
  return node.getText().replace(/\s+/g, '').replace(/'/g, '"');
}

function unparen(node: ts.TypeNode): ts.TypeNode {
  return ts.isParenthesizedTypeNode(node) ? unparen(node.type) : node;
}

function memberName(m: ts.TypeElement | ts.ObjectLiteralElementLike): string {
  const n = m.name;
  if (!n) return '';
  if (ts.isIdentifier(n) || ts.isStringLiteral(n) || ts.isNumericLiteral(n)) return n.text;
  return n.getText();
}

/** Flattens a type: an object type gives its key set and then each member; anything else is one leaf. */
function flattenType(node: ts.TypeNode, path: string, optional: boolean, facts: Map<string, string>): void {
  const n = unparen(node);
  if (ts.isTypeLiteralNode(n) && n.members.every(ts.isPropertySignature)) {
    const members = n.members.filter(ts.isPropertySignature);
    const keys = members.map((m) => `${memberName(m)}${m.questionToken ? '?' : ''}`).sort();
    facts.set(path, `${optional ? '?' : ''}{${keys.join(',')}}`);
    for (const m of members) if (m.type) flattenType(m.type, `${path}.${memberName(m)}`, Boolean(m.questionToken), facts);
    return;
  }
  facts.set(path, `${optional ? '?' : ''}${canonicalType(n)}`);
}

function flattenValue(expr: ts.Expression, path: string, facts: Map<string, string>): void {
  let e = expr;
  while (ts.isAsExpression(e) || ts.isParenthesizedExpression(e)) e = e.expression;
  if (ts.isObjectLiteralExpression(e)) {
    const props = e.properties.filter(ts.isPropertyAssignment);
    facts.set(
      path,
      `{${props
        .map((p) => memberName(p))
        .sort()
        .join(',')}}`,
    );
    for (const p of props) flattenValue(p.initializer, `${path}.${memberName(p)}`, facts);
    return;
  }
  if (ts.isArrayLiteralExpression(e)) {
    facts.set(path, `[${e.elements.map((x) => x.getText().replace(/'/g, '"')).join(',')}]`);
    return;
  }
  facts.set(path, e.getText().replace(/\s+/g, '').replace(/'/g, '"'));
}

/**
 * Every fact of a supabase-js types file: `Database.…` paths for the type, `Constants.…` for the runtime object,
 * `export type <Name>` for each exported type alias (its presence).
 */
export function supabaseTypesFacts(source: string): Map<string, string> {
  const file = ts.createSourceFile('types.ts', source, ts.ScriptTarget.ES2022, true);
  const facts = new Map<string, string>();
  let sawDatabase = false;
  for (const s of file.statements) {
    if (ts.isTypeAliasDeclaration(s) && s.name.text === 'Database') {
      sawDatabase = true;
      const body = unparen(s.type);
      if (ts.isTypeLiteralNode(body)) {
        for (const m of body.members) if (ts.isPropertySignature(m) && m.type) flattenType(m.type, memberName(m), false, facts);
      }
    } else if (ts.isTypeAliasDeclaration(s) && s.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) {
      facts.set(`export type ${s.name.text}`, 'present');
    } else if (ts.isVariableStatement(s)) {
      for (const d of s.declarationList.declarations) {
        if (ts.isIdentifier(d.name) && d.name.text === 'Constants' && d.initializer) flattenValue(d.initializer, 'Constants', facts);
      }
    }
  }
  if (!sawDatabase) throw new Error('no `type Database` in the file');
  return facts;
}

/** Every fact that differs: `path: keel `a`, cli `b`` (`<absent>` when one side lacks it), sorted by path. */
export function compareSupabaseTypes(keel: string, cli: string): string[] {
  const a = supabaseTypesFacts(keel);
  const b = supabaseTypesFacts(cli);
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort();
  return keys
    .filter((k) => a.get(k) !== b.get(k))
    .map((k) => `${k}: keel \`${a.get(k) ?? '<absent>'}\`, cli \`${b.get(k) ?? '<absent>'}\``);
}
