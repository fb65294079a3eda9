import type {RejectReason} from './expected.js';
import {Random, STREAM} from './random.js';

/**
 * Synthetic movie titles with the traps of the official movie_titles file: commas and bare double
 * quotes inside titles (no CSV quoting), Latin-1 letters such as é, ü, ñ, `NULL` years, and titles
 * that repeat under different ids. Every title is Latin-1 text.
 */
export interface MovieTitle {
  movieId: number;
  year: number | null;
  title: string;
}

const ADJECTIVES = [
  'Silent', 'Last', 'Broken', 'Golden', 'Hidden', 'Midnight', 'Crimson', 'Lonely', 'Wild', 'Eternal', 'Lost', 'Burning',
  'Frozen', 'Secret', 'Dark', 'Little', 'Great', 'Final', 'Forgotten', 'Electric', 'Savage', 'Sweet', 'Iron', 'Blue',
];
const NOUNS = [
  'Harbor', 'River', 'Empire', 'Stranger', 'Garden', 'Mountain', 'Detective', 'Summer', 'Kingdom', 'Road', 'Dream',
  'Island', 'Witness', 'Hunter', 'Planet', 'Station', 'Promise', 'Horizon', 'Circus', 'Voyage', 'Shadow', 'Letter',
  'Season', 'Frontier', 'Castle', 'Engine', 'Heart', 'Highway', 'Storm', 'Orchestra',
];
/** Words with letters beyond ASCII, all in ISO-8859-1. */
const LATIN1_WORDS = [
  'Café', 'Amélie', 'Señor', 'Über', 'Noël', 'Fräulein', 'Garçon', 'Mañana', 'Déjà Vu', 'Müller', 'Façade', 'Zoë',
  'São Paulo', 'Crème Brûlée', 'Ånglar', 'Björn', 'Señorita', 'Pokémon', 'Niño', 'Göteborg',
];
const NAMES = ['Harry', 'Anna', 'Marlowe', 'Rosa', 'Jimmy', 'Clara', 'Otis', 'Greta', 'Tony', 'Mabel', 'Rocco', 'Ines'];
const SERIES = ['Season 1', 'Season 2', 'Vol. 3', 'Part II', 'Collection', 'The Series', 'Live in Concert', 'Special Edition'];

/** About 7 in 17,770 real movies have a `NULL` year; at least one always has. */
const NULL_YEAR_RATE = 7 / 17_770;
/** Share of titles built with a comma, with double quotes, and with a Latin-1 word. */
const COMMA_RATE = 0.02;
const QUOTE_RATE = 0.004;
const LATIN1_RATE = 0.01;

type Trait = 'comma' | 'quote' | 'latin1';

function plainTitle(random: Random): string {
  switch (random.below(5)) {
    case 0:
      return `The ${random.pick(ADJECTIVES)} ${random.pick(NOUNS)}`;
    case 1:
      return `${random.pick(NOUNS)} of the ${random.pick(ADJECTIVES)} ${random.pick(NOUNS)}`;
    case 2:
      return `${random.pick(NAMES)}'s ${random.pick(NOUNS)}`;
    case 3:
      return `${random.pick(ADJECTIVES)} ${random.pick(NOUNS)}: ${random.pick(SERIES)}`;
    default:
      return `${random.pick(ADJECTIVES)} ${random.pick(NOUNS)}`;
  }
}

function titleWith(trait: Trait, random: Random): string {
  switch (trait) {
    case 'comma':
      return random.below(2) === 0
        ? `${random.pick(NOUNS)}, ${random.pick(NOUNS)} and ${random.pick(NOUNS)}`
        : `${random.pick(NAMES)}, ${random.pick(ADJECTIVES)} ${random.pick(NOUNS)}`;
    case 'quote':
      return `${random.pick(NAMES)}: They Call Me "${random.pick(ADJECTIVES)} ${random.pick(NOUNS)}"`;
    case 'latin1':
      return random.below(2) === 0 ? `${random.pick(LATIN1_WORDS)}` : `The ${random.pick(ADJECTIVES)} ${random.pick(LATIN1_WORDS)}`;
  }
}

function releaseYear(random: Random): number {
  // most of the catalogue is recent; a tail of classics goes back to the silent era
  return random.below(10) < 7 ? random.between(1990, 2005) : random.between(1915, 1989);
}

/** One title per movie id 1..movies; the traps are guaranteed to occur at least once each. */
export function synthesizeTitles(movies: number, seed: number): MovieTitle[] {
  const random = new Random(seed, STREAM.titles);
  const titles: MovieTitle[] = [];
  for (let movieId = 1; movieId <= movies; movieId++) {
    const u = random.nextFloat();
    const title =
      u < COMMA_RATE
        ? titleWith('comma', random)
        : u < COMMA_RATE + QUOTE_RATE
          ? titleWith('quote', random)
          : u < COMMA_RATE + QUOTE_RATE + LATIN1_RATE
            ? titleWith('latin1', random)
            : plainTitle(random);
    const year = random.nextFloat() < NULL_YEAR_RATE ? null : releaseYear(random);
    titles.push({movieId, year, title});
  }
  // a small catalogue still gets every trap: one movie each, at a random place (distinct from 3 movies on)
  const used = new Set<number>();
  for (const trait of ['comma', 'quote', 'latin1'] as const) {
    let index = random.below(movies);
    while (used.has(index) && used.size < movies) index = (index + 1) % movies;
    used.add(index);
    titles[index].title = titleWith(trait, random);
  }
  if (!titles.some((t) => t.year === null)) titles[random.below(movies)].year = null;
  return titles;
}

/** `<id>,<year>,<title>` as in the official file (`NULL` for an unknown year). */
export function titleLine(title: MovieTitle): string {
  return `${title.movieId},${title.year ?? 'NULL'},${title.title}`;
}

/** A line of the movie titles file as written, with what a transform must make of it. */
export interface TitleFileLine {
  text: string;
  eol: string;
  /** `title` for a line that gives `movieId` its title; else blank or the reason it is rejected. */
  kind: 'title' | 'blank' | Extract<RejectReason, 'bad_movie_line' | 'duplicate_movie'>;
  movieId?: number;
}

export function cleanTitleLines(titles: readonly MovieTitle[]): TitleFileLine[] {
  return titles.map((title) => ({text: titleLine(title), eol: '\n', kind: 'title', movieId: title.movieId}));
}

/** The file's bytes in ISO-8859-1, as the official movie_titles file is. */
export function encodeLatin1(lines: readonly TitleFileLine[]): Buffer {
  const text = lines.map((l) => l.text + l.eol).join('');
  // a character beyond U+00FF would be silently mangled by the latin1 encoder
  if (/[^\u0000-\u00ff]/.test(text)) throw new Error('a synthetic title is not Latin-1');
  return Buffer.from(text, 'latin1');
}
