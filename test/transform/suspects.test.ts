import {mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {openDuckDB} from '../../src/duckdb.js';
import {sqlString} from '../../src/sql.js';
import {discoverInputs} from '../../src/transforms/discover.js';
import {stageSuspectRatings} from '../../src/transforms/duplicates.js';
import {runStage} from '../../src/transforms/star.js';
import {sha256} from '../helpers/sha256.js';
import {tempDir} from '../helpers/tmp.js';

// The duplicate rule's second read: the suspect movies' ratings, with their line numbers.
describe('stageSuspectRatings', () => {
  it("stages the suspect movies' accepted ratings with file and line, and refuses a file changed since the first read", async () => {
    const dir = tempDir();
    const data = join(dir, 'data');
    const file = join(data, 'combined_data_1.txt');
    mkdirSync(data);
    writeFileSync(file, '1:\n5,3,2005-01-02\n2:\n6,4,2005-01-01\nbad line\n1:\n\n5,2,2005-01-03\n');
    const {ratingFiles} = await discoverInputs(data);
    const handle = await openDuckDB(join(dir, 'w.duckdb'), {threads: 1});
    try {
      const connection = handle.connection;
      await runStage(connection, '00_attach_staging', {staging_path: sqlString(join(dir, 'staging.duckdb'))});
      await runStage(connection, '01_staging');
      const parsed = [{fileId: 0, sha256: sha256(file), movies: [1, 2]}];

      expect(await stageSuspectRatings(connection, ratingFiles, parsed, new Set([1]), 2)).toBe(2);
      const rows = (await connection.runAndReadAll('SELECT line_ref >> 32, line_ref & 4294967295, movie_id, customer_id, date_key, rating FROM stg_suspect_rating ORDER BY line_ref')).getRows();
      expect(rows.map((r) => r.map(Number))).toEqual([
        [0, 2, 1, 5, 20050102, 3],
        [0, 8, 1, 5, 20050103, 2],
      ]);

      // the same size, other bytes: the second read must not stage a different file's lines
      writeFileSync(file, '1:\n5,3,2005-01-02\n2:\n6,4,2005-01-01\nbad line\n1:\n\n5,1,2005-01-03\n');
      await expect(stageSuspectRatings(connection, ratingFiles, parsed, new Set([1]), 2)).rejects.toThrow(
        'combined_data_1.txt changed while the transform was reading it; run the transform again once nothing writes to it',
      );
    } finally {
      handle.close();
    }
  });
});
