import {describe, expect, it} from 'vitest';
import {rejects, transform} from './dataset.js';

// SPEC 1.2: movie titles.
const ratings = {'combined_data_1.txt': '1:\n5,3,2005-01-01\n3:\n5,4,2005-01-01\n'};

describe('movie titles', () => {
  it('splits on the first two commas only and keeps commas and quotes in the title verbatim', async () => {
    const t = await transform({
      ...ratings,
      'movie_titles.csv': '1,2003,Dinosaur Planet\n2,1997,"Sex, Lies, and Videotape"\n3,2004,What the #$*! Do We "Know"!?\n',
    });
    expect(await t.query('SELECT movie_key, movie_id, title, release_year FROM dim_movie ORDER BY movie_key')).toEqual([
      {movie_key: 1, movie_id: 1, title: 'Dinosaur Planet', release_year: 2003},
      {movie_key: 2, movie_id: 2, title: '"Sex, Lies, and Videotape"', release_year: 1997},
      {movie_key: 3, movie_id: 3, title: 'What the #$*! Do We "Know"!?', release_year: 2004},
    ]);
  });

  it('decodes a Latin-1 file (the official encoding) into UTF-8 text', async () => {
    const t = await transform({...ratings, 'movie_titles.csv': "1,2001,Smokey Joe's Caf\u00e9\n"});
    expect(await t.query('SELECT title FROM dim_movie WHERE movie_id = 1')).toEqual([{title: "Smokey Joe's Café"}]);
    expect(t.summary.titlesEncoding).toBe('latin1');
  });

  it('reads a file that is valid UTF-8 as UTF-8, and --titles-encoding latin1 overrides that', async () => {
    const utf8 = Buffer.from('1,2001,Amélie\n', 'utf8');
    const auto = await transform({...ratings, 'movie_titles.csv': utf8});
    expect(await auto.query('SELECT title FROM dim_movie WHERE movie_id = 1')).toEqual([{title: 'Amélie'}]);
    expect(auto.summary.titlesEncoding).toBe('utf8');
    const forced = await transform({...ratings, 'movie_titles.csv': utf8}, {titlesEncoding: 'latin1'});
    expect(await forced.query('SELECT title FROM dim_movie WHERE movie_id = 1')).toEqual([{title: 'AmÃ©lie'}]);
  });

  it('stores NULL and empty years as NULL, trims CR and surrounding whitespace, skips blank lines', async () => {
    const t = await transform({...ratings, 'movie_titles.txt': '1,NULL,Jimmy Hollywood\r\n\n  3,, Untitled  \r\n'});
    expect(await t.query('SELECT movie_id, title, release_year FROM dim_movie ORDER BY movie_id')).toEqual([
      {movie_id: 1, title: 'Jimmy Hollywood', release_year: null},
      {movie_id: 3, title: 'Untitled', release_year: null},
    ]);
    expect(t.summary.files.find((f) => f.path === 'movie_titles.txt')).toMatchObject({lines: 3, blankLines: 1, accepted: 2, rejected: 0});
  });

  it('rejects lines with a bad id or year as bad_movie_line, and repeated ids after the first as duplicate_movie', async () => {
    const t = await transform({
      ...ratings,
      'movie_titles.csv': ['1,2003,First', 'x,2003,Bad id', '0,2003,Zero id', '4,19x5,Bad year', '5,20031,Long year', 'no commas', '1,1999,Second', '3,2004,Three'].join('\n'),
    });
    expect(await rejects(t)).toEqual([
      ['movie_titles.csv', 2, 'bad_movie_line', 'x,2003,Bad id'],
      ['movie_titles.csv', 3, 'bad_movie_line', '0,2003,Zero id'],
      ['movie_titles.csv', 4, 'bad_movie_line', '4,19x5,Bad year'],
      ['movie_titles.csv', 5, 'bad_movie_line', '5,20031,Long year'],
      ['movie_titles.csv', 6, 'bad_movie_line', 'no commas'],
      ['movie_titles.csv', 7, 'duplicate_movie', '1,1999,Second'],
    ]);
    expect(await t.query("SELECT title FROM dim_movie WHERE movie_id = 1")).toEqual([{title: 'First'}]);
  });

  it('keeps movies with ratings but no title (NULL title) and movies with a title but no ratings', async () => {
    const t = await transform({...ratings, 'movie_titles.csv': '1,2003,Rated and titled\n2,1999,Titled only\n'});
    expect(await t.query('SELECT movie_key, movie_id, title, release_year FROM dim_movie ORDER BY movie_key')).toEqual([
      {movie_key: 1, movie_id: 1, title: 'Rated and titled', release_year: 2003},
      {movie_key: 2, movie_id: 2, title: 'Titled only', release_year: 1999},
      {movie_key: 3, movie_id: 3, title: null, release_year: null},
    ]);
    expect(t.summary.moviesWithoutTitle).toBe(1);
    expect(await t.query('SELECT movie_id, rating_count FROM v_movie_performance ORDER BY movie_id')).toEqual([
      {movie_id: 1, rating_count: 1},
      {movie_id: 2, rating_count: 0},
      {movie_id: 3, rating_count: 1},
    ]);
  });
});
