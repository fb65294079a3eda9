/**
 * The seeded pseudo-random numbers behind `nfx generate`: sfc32 (Chris Doty-Humphrey's small fast
 * counting generator), 128 bits of state in four int32 words, so the same seed gives the same bytes on
 * every machine. Math.random is never used.
 */

/** Independent streams of one seed, so that adding dirt or titles never shifts the ratings. */
export const STREAM = {
  shape: 1,
  ratings: 2,
  titles: 3,
  dirty: 4,
  pairs: 5,
} as const;

const TWO_POW_32 = 4294967296;

/** splitmix32 step: spreads a seed over a full 32-bit word. */
function mix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spareNormal: number | undefined;

  constructor(seed: number, stream: number) {
    const base = mix32(seed ^ mix32(stream));
    this.a = mix32(base);
    this.b = mix32(this.a ^ 0x5bd1e995);
    this.c = mix32(this.b ^ 0x1b873593);
    this.d = 1;
    // the first outputs of a freshly seeded sfc32 are still correlated with the seed
    for (let i = 0; i < 16; i++) this.nextU32();
  }

  /** A uniform 32-bit unsigned integer. */
  nextU32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1), 32 bits of resolution. */
  nextFloat(): number {
    return this.nextU32() / TWO_POW_32;
  }

  /** A uniform integer in [0, n) for n <= 2^32 (multiply-shift: the bias, about n / 2^32, is irrelevant here). */
  below(n: number): number {
    return Math.floor(this.nextU32() * (n / TWO_POW_32));
  }

  /** A uniform integer in [lo, hi]. */
  between(lo: number, hi: number): number {
    return lo + this.below(hi - lo + 1);
  }

  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)];
  }

  /** A standard normal deviate (Marsaglia's polar method: only log and sqrt, which are exact across platforms). */
  normal(): number {
    if (this.spareNormal !== undefined) {
      const spare = this.spareNormal;
      this.spareNormal = undefined;
      return spare;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = this.nextFloat() * 2 - 1;
      v = this.nextFloat() * 2 - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const factor = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * factor;
    return u * factor;
  }

  /** Fisher-Yates shuffle in place. */
  shuffle(items: {length: number; [i: number]: number}): void {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.below(i + 1);
      const t = items[i];
      items[i] = items[j];
      items[j] = t;
    }
  }
}
