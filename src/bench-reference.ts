/**
 * The bench's reference build without the aggregate tables of SPEC 2.1 (issue 16: the transform and the export
 * <= 1.05x their times without them), chosen by `npm run bench -- --aggregate-compare` through the environment
 * variable NFX_BENCH_NO_AGGREGATES=1: the transform builds none (FULL_TRANSFORM_WITHOUT_AGGREGATES in
 * src/transforms/pipeline.ts) and the export loads none, with the two views over fact_ratings as they were
 * before (src/export/tables.ts, postgres.ts). Kept in the tree so that no reference branch has to survive
 * between sessions. Never for users: such a warehouse lacks SPEC 2.1's tables.
 */
export const WITHOUT_AGGREGATES = process.env.NFX_BENCH_NO_AGGREGATES === '1';
