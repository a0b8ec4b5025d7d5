import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

/** A DuckDB connection and how to release it. */
export interface DuckDb {
  readonly connection: DuckDBConnection;
  /** Closes the connection and the database. */
  close(): void;
}

/** Options of {@link openDuckDb}. */
export interface DuckDbOptions {
  /**
   * DuckDB's memory limit; past it, sorts and joins spill to `tempDirectory`.
   * @default '256MB'
   */
  memoryLimit?: string;
  /**
   * Worker threads.
   * @default 2
   */
  threads?: number;
  /**
   * Where DuckDB spills.
   * @default `<os tmp>/lakewatch-duckdb`
   */
  tempDirectory?: string;
  /**
   * Keep the order of rows of a query without ORDER BY (costs memory in parallel plans).
   * @default false
   */
  preserveInsertionOrder?: boolean;
}

/**
 * An in-memory DuckDB connection with the lake's settings: no extension downloads (Parquet
 * and JSON are built in; httpfs cannot be fetched here, which is why S3 lakes are staged
 * locally before querying), bounded memory, spilling to disk.
 */
export async function openDuckDb(options: DuckDbOptions = {}): Promise<DuckDb> {
  const instance = await DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
    memory_limit: options.memoryLimit ?? '256MB',
    threads: String(options.threads ?? 2),
    temp_directory: options.tempDirectory ?? join(tmpdir(), 'lakewatch-duckdb'),
    preserve_insertion_order: options.preserveInsertionOrder ? 'true' : 'false',
  });
  const connection = await instance.connect();
  return {
    connection,
    close: () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** A SQL string literal. */
export function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** A SQL identifier. */
export function sqlIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
