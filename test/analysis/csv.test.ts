import {describe, expect, it} from 'vitest';
import {csvField} from '../../src/analysis/row-output.js';

describe('CSV fields (RFC 4180)', () => {
  it.each([
    ['Dinosaur Planet', 'Dinosaur Planet'],
    ['Crash, Bang', '"Crash, Bang"'],
    ['They Call Me "Lost Highway"', '"They Call Me ""Lost Highway"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\rhere', '"cr\rhere"'],
    ['', ''],
  ])('write %j as %j', (value, field) => {
    expect(csvField(value)).toBe(field);
  });

  it('write NULL as an empty field and numbers as JS prints them', () => {
    expect([csvField(null), csvField(3.6336), csvField(5000)]).toEqual(['', '3.6336', '5000']);
  });
});
