import type {GenerateOptions} from './options.js';
import {BlockSampler} from './sampler.js';
import {buildShape} from './shape.js';

/** How popular the movies and how active the customers of a generated data set are: the README's comparison with the real data. */
export interface ShapeFigures {
  /** The five largest movie rating counts, largest first. */
  topMovies: number[];
  /** How many movies have exactly the largest count. */
  moviesAtTop: number;
  /** Largest movie count / customers. */
  topMovieShare: number;
  medianMovie: number;
  /** Share of movies with fewer than 1,000 ratings. */
  moviesUnder1000: number;
  leastRatedMovie: number;
  medianCustomer: number;
  customersRatingOnce: number;
  customersUnder10: number;
  busiestCustomer: number;
}

/** Draws every block as `nfx generate` would (same shape, same sampler) and counts; writes nothing. */
export function measureShape(options: GenerateOptions): ShapeFigures {
  const shape = buildShape(options);
  const sampler = new BlockSampler(shape, options.seed);
  const perCustomer = new Uint32Array(options.customers);
  for (let movieId = 1; movieId <= options.movies; movieId++) {
    const block = sampler.draw(movieId);
    for (let r = 0; r < block.count; r++) perCustomer[block.customers[r]]++;
  }
  const movies = Uint32Array.from(shape.movieRatings).sort().reverse();
  const customers = perCustomer.sort();
  return {
    topMovies: [...movies.subarray(0, 5)],
    moviesAtTop: movies.filter((n) => n === movies[0]).length,
    topMovieShare: Number((movies[0] / options.customers).toFixed(3)),
    medianMovie: median(movies),
    moviesUnder1000: Number((movies.filter((n) => n < 1000).length / movies.length).toFixed(3)),
    leastRatedMovie: movies[movies.length - 1],
    medianCustomer: median(customers),
    customersRatingOnce: customers.filter((n) => n === 1).length,
    customersUnder10: customers.filter((n) => n < 10).length,
    busiestCustomer: customers[customers.length - 1],
  };
}

function median(sorted: Uint32Array): number {
  const n = sorted.length;
  return n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}
