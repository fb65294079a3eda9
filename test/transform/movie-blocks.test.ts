import {describe, expect, it} from 'vitest';
import {RatingFileParser} from '../../src/transforms/parse.js';

/** The blocks a parser records for `text` pushed in chunks of `size` bytes. */
function blocksOf(text: string, size: number): number[][] {
  const parser = new RatingFileParser({ratings: (batch) => batch, reject() {}}, 0);
  const bytes = Buffer.from(text, 'latin1');
  for (let i = 0; i < bytes.length; i += size) parser.push(bytes.subarray(i, i + size));
  parser.end();
  const triples: number[][] = [];
  for (let i = 0; i < parser.blocks.length; i += 3) triples.push(parser.blocks.slice(i, i + 3));
  return triples;
}

/** Every header line of `text`: [movie id, byte offset of the line, line number], found by splitting the text. */
function headersOf(text: string): number[][] {
  const found: number[][] = [];
  let offset = 0;
  text.split('\n').forEach((line, i) => {
    const header = /^\s*(\d+):\s*$/.exec(line);
    if (header && Number(header[1]) >= 1) found.push([Number(header[1]), offset, i + 1]);
    offset += line.length + 1;
  });
  return found;
}

describe('movie blocks (BlockFileParser.blocks)', () => {
  const text = [
    '',
    '7:',
    '5,3,2005-01-02',
    '6,1,2005-01-01\r',
    '  12: \r',
    '5,4,2005-02-02',
    '0:',
    '9,9,bad',
    '',
    '100000:',
    '1,2,2003-03-03',
    '7:',
    '8,5,2004-04-04',
  ].join('\n');

  it.each([1, 2, 3, 7, 64, 1 << 20])('records each valid header with its byte offset and line number, read in chunks of %i bytes', (size) => {
    expect(blocksOf(text, size)).toEqual(headersOf(text));
    expect(headersOf(text).map(([movie]) => movie)).toEqual([7, 12, 100000, 7]);
  });

  it('numbers lines and offsets from where a block read again starts', () => {
    const [, , , [movie, offset, line]] = headersOf(text);
    const parser = new RatingFileParser({ratings: (batch) => batch, reject() {}}, 0, undefined, line, offset);
    parser.push(Buffer.from(text, 'latin1').subarray(offset));
    parser.end();
    expect(parser.blocks).toEqual([movie, offset, line]);
    expect(parser.counts).toMatchObject({headers: 1, accepted: 1, lines: line + 1});
  });
});
