/**
 * Duplicate suspects: the movies that may hold a repeated (movie, customer) pair, so the duplicate rule's
 * window query runs over those movies only instead of over all ratings. Each file's own suspects come
 * from RunRanker (a repeated customer in a run, or a movie with two runs in the file).
 */
/** The suspects of all files: each file's own, plus every movie that has ratings in more than one file. */
export function mergeSuspects(files: {movies: number[]; suspects: number[]}[]): Set<number> {
  const merged = new Set<number>();
  const seen = new Set<number>();
  for (const file of files) {
    for (const movieId of file.suspects) merged.add(movieId);
    for (const movieId of file.movies) {
      if (seen.has(movieId)) merged.add(movieId);
      seen.add(movieId);
    }
  }
  return merged;
}
