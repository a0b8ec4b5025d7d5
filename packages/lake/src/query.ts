import type { S3Client } from '@aws-sdk/client-s3';
import { catalogSql, type LakeTable, stageLake } from './catalog.js';
import { type DuckDb, type DuckDbOptions, openDuckDb, sqlString } from './duckdb.js';
import { LakeQueryError } from './errors.js';
import { openStorage } from './storage/open.js';
import type { LakeStorage } from './storage/types.js';

/** Options of {@link LakeQuery.open}. */
export interface LakeQueryOptions {
  /** S3 client for `s3://` lakes. @default {@link createS3Client}() */
  s3Client?: S3Client;
  /**
   * Local folder an S3 lake is staged into before querying.
   * @default `<os tmp>/lakewatch-stage-<hash of the lake URI>`
   */
  stagingDirectory?: string;
  /** DuckDB settings. @default {@link openDuckDb}'s */
  duckdb?: DuckDbOptions;
}

/** Rows of a query, with JSON-friendly values (BIGINTs as strings, timestamps as text). */
export interface QueryResult {
  columns: string[];
  rows: unknown[][];
}

/**
 * SQL over the lake with DuckDB: views per source, per OCSF class, under Security Lake's
 * Glue names, and `rejects`. Close it when done.
 *
 * @example
 * const lake = await LakeQuery.open('/data/lake');
 * const { rows } = await lake.query('SELECT count(*) FROM vpc_flow');
 * lake.close();
 */
export class LakeQuery {
  /** The tables the lake has (views over its objects). */
  readonly tables: readonly LakeTable[];
  /** The local folder the views read (the lake itself, or an S3 lake's staging copy). */
  readonly root: string;
  private readonly db: DuckDb;

  private constructor(db: DuckDb, root: string, tables: LakeTable[]) {
    this.db = db;
    this.root = root;
    this.tables = tables;
  }

  /** Opens a lake (folder, `s3://bucket/prefix`, or a storage) for querying. */
  static async open(
    lake: string | LakeStorage,
    options: LakeQueryOptions = {},
  ): Promise<LakeQuery> {
    const storage =
      typeof lake === 'string'
        ? openStorage(lake, options.s3Client ? { s3Client: options.s3Client } : {})
        : lake;
    const { root, keys } = await stageLake(storage, options.stagingDirectory);
    const { statements, tables } = catalogSql(root, keys);
    const db = await openDuckDb(options.duckdb);
    try {
      for (const s of statements) await db.connection.run(s);
    } catch (cause) {
      db.close();
      throw new LakeQueryError(
        `${storage.uri}: cannot open the lake's tables: ${(cause as Error).message}`,
        { cause },
      );
    }
    return new LakeQuery(db, root, tables);
  }

  /** Whether the lake has a table (view) of that name. */
  hasTable(name: string): boolean {
    return this.tables.some((t) => t.name === name);
  }

  /** Runs SQL and returns all rows. */
  async query(sql: string): Promise<QueryResult> {
    try {
      const reader = await this.db.connection.runAndReadAll(sql);
      return { columns: reader.columnNames(), rows: reader.getRowsJson() as unknown[][] };
    } catch (cause) {
      throw this.wrap(sql, cause);
    }
  }

  /**
   * Runs SQL and yields its rows in chunks, without holding the whole result; yields at
   * least once (with no rows for an empty result) so the columns are always known.
   */
  async *stream(sql: string): AsyncGenerator<QueryResult> {
    let result: Awaited<ReturnType<DuckDb['connection']['stream']>>;
    try {
      result = await this.db.connection.stream(sql);
    } catch (cause) {
      throw this.wrap(sql, cause);
    }
    const columns = result.columnNames();
    let any = false;
    for await (const rows of result.yieldRowsJson()) {
      any = true;
      yield { columns, rows: rows as unknown[][] };
    }
    if (!any) yield { columns, rows: [] };
  }

  /** Writes a query's result to a local CSV file with DuckDB; returns the rows written. */
  async copyToCsv(sql: string, path: string, options: { header?: boolean } = {}): Promise<number> {
    try {
      const reader = await this.db.connection.runAndReadAll(
        `COPY (${sql}) TO ${sqlString(path)} (FORMAT csv, HEADER ${options.header ? 'true' : 'false'})`,
      );
      const first = reader.getRowsJson()[0]?.[0];
      return Number(first ?? 0);
    } catch (cause) {
      throw this.wrap(sql, cause);
    }
  }

  private wrap(sql: string, cause: unknown): LakeQueryError {
    const tables = this.tables.map((t) => t.name).join(', ') || 'none (the lake is empty)';
    return new LakeQueryError(
      `${(cause as Error).message}\n  in: ${sql.slice(0, 500)}\n  lake tables: ${tables}`,
      { cause },
    );
  }

  /** Releases DuckDB. */
  close(): void {
    this.db.close();
  }
}
