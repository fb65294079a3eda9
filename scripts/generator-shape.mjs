#!/usr/bin/env node
// Prints the popularity and activity figures of a generated data set without writing it: the shape and the
// sampler run exactly as `nfx generate` runs them, so the figures are those of its files (the README's table).
// Usage: npm run build && node scripts/generator-shape.mjs [--ratings N] [--seed S] (same flags as nfx generate)
import {parseArgs} from 'node:util';
import {resolveGenerateOptions} from '../dist/generate/options.js';
import {measureShape} from '../dist/generate/shape-figures.js';

const {values} = parseArgs({options: {ratings: {type: 'string'}, movies: {type: 'string'}, customers: {type: 'string'}, seed: {type: 'string'}}});
const options = resolveGenerateOptions({out: '/unused', ...values});
const started = performance.now();
const figures = measureShape(options);
console.log(JSON.stringify({ratings: options.ratings, movies: options.movies, customers: options.customers, seed: options.seed, ...figures, seconds: Number(((performance.now() - started) / 1000).toFixed(1))}, null, 2));
