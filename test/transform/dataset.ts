/**
 * Tiny data sets for transform tests: `writeDataset({'combined_data_1.txt': '1:\n5,3,2005-01-02\n'})`
 * writes the files into a fresh temp dir and returns it. Strings are written as Latin-1 bytes
 * (so 'é' is the single byte 0xE9, as in the official titles file); Buffers are written as they are.
 */
import {mkdirSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {runTransform, type TransformOptions, type TransformSummary} from '../../src/transforms/pipeline.js';
import {createLogger, setConsoleState, setLogger} from '../../src/log.js';
import {queryDuckDB, type Row} from '../helpers/duckdb.js';
import {tempDir} from '../helpers/tmp.js';

// in-process runs stay silent; the CLI's output is tested end to end
setConsoleState({quiet: true, json: false});
setLogger(createLogger({quiet: true}));

export function writeDataset(files: Record<string, string | Buffer>): string {
  const dir = tempDir('nfx-data-');
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(dirname(path), {recursive: true});
    writeFileSync(path, typeof content === 'string' ? Buffer.from(content, 'latin1') : content);
  }
  return dir;
}

export interface Transformed {
  db: string;
  summary: TransformSummary;
  query(sql: string): Promise<Row[]>;
}

/** Transforms a data set into a new DuckDB file, in-process. */
export async function transform(files: Record<string, string | Buffer> | string, options: Partial<TransformOptions> = {}): Promise<Transformed> {
  const dataDir = typeof files === 'string' ? files : writeDataset(files);
  const db = join(tempDir('nfx-db-'), 'netflix.duckdb');
  const summary = await runTransform({dataDir, db, threads: 1, ...options});
  return {db, summary, query: (sql) => queryDuckDB(db, sql)};
}

/** The rejects of a transformed data set, as compact tuples [file, line, reason, raw]. */
export async function rejects(t: Transformed): Promise<[string, number, string, string][]> {
  const rows = await t.query('SELECT source_file, line_number, reason, raw_line FROM rejects ORDER BY source_file, line_number');
  return rows.map((r) => [r.source_file as string, r.line_number as number, r.reason as string, r.raw_line as string]);
}

/** The fact rows in natural ids: [movie_id, customer_id, rating, 'YYYY-MM-DD'] in rating_key order. */
export async function facts(t: Transformed): Promise<[number, number, number, string][]> {
  const rows = await t.query(`
    SELECT m.movie_id, c.customer_id, f.rating, d.date_actual
    FROM fact_ratings f JOIN dim_movie m USING (movie_key) JOIN dim_customer c USING (customer_key) JOIN dim_date d USING (date_key)
    ORDER BY f.rating_key`);
  return rows.map((r) => [r.movie_id as number, r.customer_id as number, r.rating as number, r.date_actual as string]);
}
