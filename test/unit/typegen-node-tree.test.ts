import { describe, expect, it } from 'vitest';
import { isNode, listOf, parseNodeTree, type PgNode } from '../../src/features/typegen/pg-node-tree.js';

describe('parseNodeTree', () => {
  it('reads nodes, lists with tags, NULLs, escaped atoms and skips datum bytes', () => {
    const tree = parseNodeTree(
      '({QUERY :commandType 1 :setOperations <> :rtable ({RANGETBLENTRY :rtekind 0 :relid 16390 :alias {ALIAS :aliasname my\\ t :colnames <>}})' +
        ' :targetList ({TARGETENTRY :expr {CONST :consttype 23 :constvalue 4 [ 1 0 0 0 0 0 0 0 ] :location 7} :resno 1 :resjunk false})' +
        ' :groupingSets <> :rowMarks (i 1 2)})',
    );
    const q = listOf(tree)[0] as PgNode;
    expect(isNode(q, 'QUERY')).toBe(true);
    expect(q.fields.setOperations).toBeNull();
    const rte = listOf(q.fields.rtable)[0] as PgNode;
    expect(rte.fields.relid).toBe('16390');
    expect((rte.fields.alias as PgNode).fields.aliasname).toBe('my t');
    const te = listOf(q.fields.targetList)[0] as PgNode;
    expect((te.fields.expr as PgNode).fields.constvalue).toBe('4');
    expect((te.fields.expr as PgNode).fields.location).toBe('7');
    expect(te.fields.resno).toBe('1');
    expect(q.fields.rowMarks).toEqual(['1', '2']);
  });

  it('throws on a truncated tree', () => {
    expect(() => parseNodeTree('({QUERY :commandType 1')).toThrow(/ended early/);
  });
});
