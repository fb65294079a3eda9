import {describe, expect, it} from 'vitest';
import {cellText, formatTable, layoutTable} from '../../src/analysis/table-layout.js';

const columns = [
  {name: 'movie_id', numeric: true},
  {name: 'title', numeric: false},
  {name: 'ratings', numeric: true},
];

describe('aligned tables', () => {
  it('align text left and numbers right under a header and a rule', () => {
    expect(formatTable(columns, [[1, 'Dinosaur Planet', 547], [28, 'Lilo and Stitch', 39752]])).toEqual([
      'movie_id  title            ratings',
      '--------  ---------------  -------',
      '       1  Dinosaur Planet      547',
      '      28  Lilo and Stitch    39752',
    ]);
  });

  it('narrow the widest column first and cut long cells with an ellipsis to fit the width', () => {
    const lines = formatTable(columns, [[1, 'The Lord of the Rings: The Return of the King: Extended Edition', 547]], 40);
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(40);
    expect(lines[2]).toBe('       1  The Lord of the Ring…      547');
  });

  it('never cut a number, nor narrow a text column below four characters, even when the row cannot fit', () => {
    const {widths} = layoutTable(columns, [['123456789', 'abcdefghij', '1']], 5);
    expect(widths).toEqual([9, 4, 7]);
  });

  it('print NULL as an empty cell, and lists and objects as JSON on one line', () => {
    expect([cellText(null), cellText([1, 2]), cellText({a: 'x'}), cellText('two\nlines')]).toEqual(['', '[1,2]', '{"a":"x"}', 'two lines']);
  });
});
