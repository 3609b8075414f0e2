import { beforeAll, describe, expect, it } from 'vitest';
import { ensureParser } from '../../src/core/sql/parser.js';
import { splitSql } from '../../src/core/sql/split.js';
import { classifyTransactionControl, transactionKind } from '../../src/core/sql/transaction-control.js';

beforeAll(async () => {
  await ensureParser();
});

const classify = (text: string) => {
  const { wrapper, inner } = classifyTransactionControl(splitSql(text, 'm.sql'));
  return { wrapper, inner: inner.map((s) => s.sql) };
};

describe('transactionKind', () => {
  it('reads the TransactionStmt kind from the libpg-query 18 AST', () => {
    const stmts = splitSql(
      'begin; start transaction; commit; end; rollback; abort; savepoint a; release a; rollback to a; select 1',
      'k.sql',
    );
    expect(stmts.map(transactionKind)).toEqual([
      'TRANS_STMT_BEGIN',
      'TRANS_STMT_START',
      'TRANS_STMT_COMMIT',
      'TRANS_STMT_COMMIT',
      'TRANS_STMT_ROLLBACK',
      'TRANS_STMT_ROLLBACK',
      'TRANS_STMT_SAVEPOINT',
      'TRANS_STMT_RELEASE',
      'TRANS_STMT_ROLLBACK_TO',
      undefined,
    ]);
  });
});

describe('classifyTransactionControl', () => {
  it('detects a BEGIN … COMMIT wrapper (any case, START TRANSACTION / END too)', () => {
    expect(classify('-- wrapped\nBEGIN;\ncreate table t (id int);\ninsert into t values (1);\nCOMMIT;\n')).toEqual({
      wrapper: true,
      inner: [],
    });
    expect(classify('start transaction;\ncreate table t (id int);\nend;')).toEqual({ wrapper: true, inner: [] });
    expect(classify('begin;\ncommit;')).toEqual({ wrapper: true, inner: [] });
  });

  it('reports no wrapper and no inner statements for a plain file', () => {
    expect(classify('create table t (id int);\ninsert into t values (1);')).toEqual({ wrapper: false, inner: [] });
    expect(classify('')).toEqual({ wrapper: false, inner: [] });
  });

  it('lists inner transaction control, leaving out the wrapper pair', () => {
    expect(classify('begin;\ncreate table t (id int);\nsavepoint s1;\ninsert into t values (1);\nrollback to s1;\ncommit;')).toEqual({
      wrapper: false,
      inner: ['savepoint s1', 'rollback to s1'],
    });
  });

  it('does not treat an incomplete or altered pair as a wrapper', () => {
    expect(classify('create table t (id int);\ncommit;')).toEqual({ wrapper: false, inner: ['commit'] });
    expect(classify('begin;\ncreate table t (id int);')).toEqual({ wrapper: false, inner: ['begin'] });
    expect(classify('begin;\ncreate table t (id int);\nrollback;')).toEqual({ wrapper: false, inner: ['begin', 'rollback'] });
    expect(classify('begin isolation level serializable;\ncreate table t (id int);\ncommit;')).toEqual({
      wrapper: false,
      inner: ['begin isolation level serializable', 'commit'],
    });
    expect(classify('begin;\ncreate table t (id int);\ncommit and chain;')).toEqual({
      wrapper: false,
      inner: ['begin', 'commit and chain'],
    });
    expect(classify('begin;\ncommit;\nbegin;\ncommit;')).toEqual({ wrapper: false, inner: ['commit', 'begin'] });
  });
});
