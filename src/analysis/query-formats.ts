/** The formats `nfx query --format` writes (row-output.ts writes them). */
export const QUERY_FORMATS = ['table', 'csv', 'json', 'ndjson'] as const;
export type QueryFormat = (typeof QUERY_FORMATS)[number];
