import {describe, expect, it} from 'vitest';
import {facts, rejects, transform} from './dataset.js';

// SPEC 1.1: the grammar of rating files, one behaviour per test.
const lenient = {maxRejectRate: 1};

describe('rating lines', () => {
  it('reads a movie block of canonical lines', async () => {
    const t = await transform({'combined_data_1.txt': '1:\n7,3,2005-09-06\n5,5,2004-01-31\n'});
    expect(await facts(t)).toEqual([
      [1, 5, 5, '2004-01-31'],
      [1, 7, 3, '2005-09-06'],
    ]);
    expect(await rejects(t)).toEqual([]);
  });

  it('accepts CRLF, surrounding spaces and tabs, and a last line without newline', async () => {
    const t = await transform({'combined_data_1.txt': ' 1: \r\n\t7,3,2005-09-06 \r\n  8,4,2005-09-07\t\n9,1,2005-09-08'});
    expect(await facts(t)).toEqual([
      [1, 7, 3, '2005-09-06'],
      [1, 8, 4, '2005-09-07'],
      [1, 9, 1, '2005-09-08'],
    ]);
    expect(t.summary.files[0]).toMatchObject({lines: 4, blankLines: 0, headers: 1, accepted: 3, rejected: 0});
  });

  it('skips and counts blank and whitespace-only lines, never rejecting them', async () => {
    const t = await transform({'combined_data_1.txt': '\n1:\n\n7,3,2005-09-06\n \t \r\n\r\n8,2,2005-09-06\n\n'});
    expect((await facts(t)).length).toBe(2);
    expect(t.summary.files[0]).toMatchObject({lines: 8, blankLines: 5, headers: 1, accepted: 2, rejected: 0});
  });

  it('rejects each bad line with exactly one reason, checked in contract order, with line numbers and raw text', async () => {
    const t = await transform(
      {
        'combined_data_1.txt': [
          '5,3,2005-01-01', // 1 no_movie_header: before any header
          '1:', // 2
          '5,3', // 3 malformed_line
          '5,3,2005-01-01,x', // 4 malformed_line
          'abc,6,2005-13-01', // 5 bad_customer_id wins over rating and date
          '0,3,2005-01-01', // 6 bad_customer_id
          '2147483648,3,2005-01-01', // 7 bad_customer_id (over int32)
          '5,6,2005-13-01', // 8 bad_rating wins over date
          '5,3.5,2005-01-01', // 9 bad_rating
          '5,,2005-01-01', // 10 bad_rating
          '5,3,2005-02-30', // 11 bad_date
          '5,3,2003-02-29', // 12 bad_date (not a leap year)
          '5,3,05-01-01', // 13 bad_date
          '5,3,2005/01/01', // 14 bad_date
          '5, 3,2005-01-01', // 15 bad_rating: spaces inside a field are not trimmed
          '12x:', // 16 bad_movie_header, ends the block
          '6,4,2005-01-01', // 17 no_movie_header
          '2:', // 18
          '6,4,2004-02-29\r', // 19 kept: leap day, CRLF
        ].join('\n'),
      },
      lenient,
    );
    expect(await rejects(t)).toEqual([
      ['combined_data_1.txt', 1, 'no_movie_header', '5,3,2005-01-01'],
      ['combined_data_1.txt', 3, 'malformed_line', '5,3'],
      ['combined_data_1.txt', 4, 'malformed_line', '5,3,2005-01-01,x'],
      ['combined_data_1.txt', 5, 'bad_customer_id', 'abc,6,2005-13-01'],
      ['combined_data_1.txt', 6, 'bad_customer_id', '0,3,2005-01-01'],
      ['combined_data_1.txt', 7, 'bad_customer_id', '2147483648,3,2005-01-01'],
      ['combined_data_1.txt', 8, 'bad_rating', '5,6,2005-13-01'],
      ['combined_data_1.txt', 9, 'bad_rating', '5,3.5,2005-01-01'],
      ['combined_data_1.txt', 10, 'bad_rating', '5,,2005-01-01'],
      ['combined_data_1.txt', 11, 'bad_date', '5,3,2005-02-30'],
      ['combined_data_1.txt', 12, 'bad_date', '5,3,2003-02-29'],
      ['combined_data_1.txt', 13, 'bad_date', '5,3,05-01-01'],
      ['combined_data_1.txt', 14, 'bad_date', '5,3,2005/01/01'],
      ['combined_data_1.txt', 15, 'bad_rating', '5, 3,2005-01-01'],
      ['combined_data_1.txt', 16, 'bad_movie_header', '12x:'],
      ['combined_data_1.txt', 17, 'no_movie_header', '6,4,2005-01-01'],
    ]);
    expect(await facts(t)).toEqual([[2, 6, 4, '2004-02-29']]);
    expect(t.summary.rejectsByReason).toMatchObject({no_movie_header: 2, malformed_line: 2, bad_customer_id: 3, bad_rating: 4, bad_date: 4, bad_movie_header: 1});
  });

  it('rejects movie headers that are not positive 32-bit integers', async () => {
    const t = await transform({'combined_data_1.txt': '0:\n-5:\n2147483648:\nabc:\n:\n2147483647:\n1,1,2005-01-01\n'}, lenient);
    expect((await rejects(t)).map((r) => [r[1], r[2]])).toEqual([
      [1, 'bad_movie_header'],
      [2, 'bad_movie_header'],
      [3, 'bad_movie_header'],
      [4, 'bad_movie_header'],
      [5, 'bad_movie_header'],
    ]);
    expect(await facts(t)).toEqual([[2147483647, 1, 1, '2005-01-01']]);
  });

  it('accepts the largest customer id and ids written with leading zeros', async () => {
    const t = await transform({'combined_data_1.txt': '1:\n2147483647,5,2005-01-01\n007,4,2005-01-02\n'});
    expect(await facts(t)).toEqual([
      [1, 7, 4, '2005-01-02'],
      [1, 2147483647, 5, '2005-01-01'],
    ]);
  });

  it('does not carry a movie block over into the next file', async () => {
    const t = await transform({'combined_data_1.txt': '1:\n5,3,2005-01-01\n', 'combined_data_2.txt': '6,3,2005-01-01\n2:\n6,4,2005-01-01\n'}, lenient);
    expect(await rejects(t)).toEqual([['combined_data_2.txt', 1, 'no_movie_header', '6,3,2005-01-01']]);
    expect(await facts(t)).toEqual([
      [1, 5, 3, '2005-01-01'],
      [2, 6, 4, '2005-01-01'],
    ]);
  });

  it('keeps any byte of a rejected line by decoding it as Latin-1', async () => {
    const t = await transform({'combined_data_1.txt': Buffer.from([...Buffer.from('1:\n5,3,2005-01-0'), 0xff, 0x00, 0x0a, ...Buffer.from('6,3,2005-01-01\n')])}, lenient);
    expect(await rejects(t)).toEqual([['combined_data_1.txt', 2, 'bad_date', '5,3,2005-01-0\u00ff\u0000']]);
  });

  it('reads lines that straddle read chunks, whatever their length', async () => {
    const long = `1:\n${'9'.repeat(5_000_000)},3,2005-01-01\n5,3,2005-01-01\n`;
    const t = await transform({'combined_data_1.txt': long}, lenient);
    expect((await rejects(t)).map((r) => [r[1], r[2]])).toEqual([[2, 'bad_customer_id']]);
    expect(await facts(t)).toEqual([[1, 5, 3, '2005-01-01']]);
  });
});

describe('duplicate ratings', () => {
  it('keeps the latest date of a repeated (movie, customer) pair within a file', async () => {
    const t = await transform({'combined_data_1.txt': '1:\n5,3,2005-01-02\n5,4,2005-01-01\n6,2,2005-01-01\n'});
    expect(await facts(t)).toEqual([
      [1, 5, 3, '2005-01-02'],
      [1, 6, 2, '2005-01-01'],
    ]);
    expect(await rejects(t)).toEqual([['combined_data_1.txt', 3, 'duplicate', '5,4,2005-01-01']]);
  });

  it('keeps the later occurrence on equal dates, across files in path order', async () => {
    const t = await transform({
      'combined_data_1.txt': '1:\n5,3,2005-01-01\n',
      'combined_data_2.txt': '1:\n5,4,2005-01-01 \r\n',
    });
    expect(await facts(t)).toEqual([[1, 5, 4, '2005-01-01']]);
    expect(await rejects(t)).toEqual([['combined_data_1.txt', 2, 'duplicate', '5,3,2005-01-01']]);
  });

  it('keeps the later line on equal dates within one block, and reports every dropped occurrence', async () => {
    const t = await transform({'combined_data_1.txt': '1:\n5,1,2005-01-01\n5,2,2005-01-01\n5,3,2005-01-01\n'});
    expect(await facts(t)).toEqual([[1, 5, 3, '2005-01-01']]);
    expect((await rejects(t)).map((r) => [r[1], r[2]])).toEqual([
      [2, 'duplicate'],
      [3, 'duplicate'],
    ]);
    expect(t.summary.rejectsByReason.duplicate).toBe(2);
  });

  it('finds repeats of a movie split over two blocks of one file', async () => {
    const t = await transform({'combined_data_1.txt': '1:\n5,3,2005-01-03\n2:\n5,1,2005-01-01\n1:\n5,4,2005-01-02\n'});
    expect(await facts(t)).toEqual([
      [1, 5, 3, '2005-01-03'],
      [2, 5, 1, '2005-01-01'],
    ]);
    expect(await rejects(t)).toEqual([['combined_data_1.txt', 6, 'duplicate', '5,4,2005-01-02']]);
  });

  it("ranks a suspect movie's kept ratings over the whole movie, between clean movies, with dense rating keys", async () => {
    const t = await transform({
      'combined_data_1.txt': '1:\n9,1,2005-01-01\n2:\n30,2,2005-01-01\n10,3,2005-01-01\n',
      'combined_data_2.txt': '2:\n20,4,2005-01-01\n30,5,2005-01-02\n3:\n8,1,2005-01-01\n',
    });
    expect(await facts(t)).toEqual([
      [1, 9, 1, '2005-01-01'],
      [2, 10, 3, '2005-01-01'],
      [2, 20, 4, '2005-01-01'],
      [2, 30, 5, '2005-01-02'],
      [3, 8, 1, '2005-01-01'],
    ]);
    expect(await t.query('SELECT min(rating_key) AS first, max(rating_key) AS last, count(DISTINCT rating_key) AS keys FROM fact_ratings')).toEqual([
      {first: 1, last: 5, keys: 5},
    ]);
    expect(await rejects(t)).toEqual([['combined_data_1.txt', 4, 'duplicate', '30,2,2005-01-01']]);
  });

  it('does not count duplicates toward --max-reject-rate', async () => {
    const t = await transform({'combined_data_1.txt': '1:\n5,3,2005-01-01\n5,3,2005-01-01\n5,3,2005-01-01\n'}, {maxRejectRate: 0});
    expect(t.summary.rejectsByReason.duplicate).toBe(2);
  });
});
