import type { ExtensionState } from '../state.js';
import { ident, literal } from '../sql-text.js';
import { httpSql } from './http.js';
import { markerSql, type StandInKind } from './marker.js';
import { pgCronSql } from './pg-cron.js';
import { pgGraphqlSql } from './pg-graphql.js';
import { pgNetSql } from './pg-net.js';
import { pgjwtPrelude, pgjwtSql } from './pgjwt.js';
import { pgmqSql } from './pgmq.js';

/** What a stand-in needs to know to write its SQL. */
export interface StandInContext {
  /** The schema the line asked for (WITH SCHEMA), else the current schema. */
  schema: string;
  /** Schemas of extensions it requires, by name. */
  requires: Record<string, string>;
  state: ExtensionState;
}

export interface StandIn {
  kind: StandInKind;
  /** Said once per command when it is created. */
  note: string;
  /** The SQL, or null when nothing is to be created (the shim already has it). */
  sql(ctx: StandInContext): string | null;
  /** Schema recorded for it. */
  schemaOf(ctx: StandInContext): string;
  /** SQL removing it again (`drop extension`), given the schema recorded for it. */
  drop(schema: string): string;
}

const own = (schema: string) => () => schema;
const dropSchema = (schema: string) => () => `drop schema ${ident(schema)} cascade`;
const dropFunctions = (signatures: string[]) => (schema: string) =>
  `drop function ${signatures.map((f) => `${ident(schema)}.${f}`).join(', ')}`;
const asked = (ctx: StandInContext) => ctx.schema;

/** Stand-ins and Keel's own SQL extensions, by extension name. */
export const STAND_INS: Record<string, StandIn> = {
  pg_cron: {
    kind: 'stand-in',
    note: 'records jobs in cron.job, runs nothing',
    sql: () => pgCronSql(),
    schemaOf: own('cron'),
    drop: dropSchema('cron'),
  },
  pg_net: {
    kind: 'stand-in',
    note: 'records requests in net.http_request_queue, sends nothing',
    sql: () => pgNetSql(),
    schemaOf: own('net'),
    drop: dropSchema('net'),
  },
  http: {
    kind: 'stand-in',
    note: 'records calls in keel.http_requests and answers 503 "not sent", sends nothing',
    sql: (ctx) => httpSql(ctx.schema),
    schemaOf: asked,
    drop: (schema) => {
      const s = ident(schema);
      return `drop type ${s}.http_request, ${s}.http_response, ${s}.http_header cascade;
drop domain ${s}.http_method, ${s}.content_type cascade;
drop function ${s}.urlencode(varchar), ${s}.urlencode(jsonb), ${s}.http_set_curlopt(varchar, varchar), ${s}.http_reset_curlopt(), ${s}.http_list_curlopt()`;
    },
  },
  pg_graphql: {
    kind: 'stand-in',
    note: 'schema graphql; graphql.resolve() raises',
    sql: () => pgGraphqlSql(),
    schemaOf: own('graphql'),
    drop: dropFunctions(['resolve(text, jsonb, text, jsonb)', 'comment_directive(text)']),
  },
  pgsodium: {
    kind: 'stand-in',
    note: 'schema pgsodium only; its functions are not there',
    sql: (ctx) => (ctx.state.pgsodiumSchema ? null : 'create schema pgsodium'),
    schemaOf: own('pgsodium'),
    drop: () => '', // the schema may be the shim's: it stays
  },
  pgmq: {
    kind: 'keel-sql',
    note: "Keel's SQL implementation of pgmq 1.5, a subset that really queues (create, send, read, read_with_poll, pop, archive, delete, set_vt, purge_queue; no partitioned queues or metrics)",
    sql: () => pgmqSql(),
    schemaOf: own('pgmq'),
    drop: dropSchema('pgmq'),
  },
  pgjwt: {
    kind: 'keel-sql',
    note: "Keel's SQL implementation (sign, verify, url_encode, url_decode; HS256/384/512)",
    sql: (ctx) => `${pgjwtPrelude(ctx.schema)};\n${pgjwtSql(ctx.schema, ctx.requires.pgcrypto!)}`,
    schemaOf: asked,
    drop: dropFunctions([
      'url_encode(bytea)',
      'url_decode(text)',
      'algorithm_sign(text, text, text)',
      'sign(json, text, text)',
      'try_cast_double(text)',
      'verify(text, text, text)',
      '_unsupported_algorithm(text)',
    ]),
  },
};

/** The statement text that creates a stand-in and records it. */
export function standInStatement(name: string, standIn: StandIn, ctx: StandInContext): string {
  const body = standIn.sql(ctx);
  const marker = markerSql(name, standIn.schemaOf(ctx), standIn.kind);
  return body ? `${body};\n${marker}` : marker;
}

/** The statement text that removes a stand-in and its record. */
export function dropStandInStatement(name: string, standIn: StandIn, schema: string): string {
  const body = standIn.drop(schema);
  return `${body ? `${body};\n` : ''}delete from keel.stand_ins where extension = ${literal(name)}`;
}
