import {createHash} from 'node:crypto';
import pg from 'pg';
import {UserError} from '../errors.js';
import {log} from '../log.js';
import {fillSql, loadSql} from '../sql.js';
import {EXPORT_TABLES, EXPORT_VIEWS} from './tables.js';

/** The relations an export creates in its schema; anything else there is someone else's. */
const NFX_RELATIONS = [...EXPORT_TABLES.map((t) => t.name), ...EXPORT_VIEWS];

/** PostgreSQL truncates identifiers beyond NAMEDATALEN - 1 bytes. */
export const MAX_IDENTIFIER_BYTES = 63;

/**
 * The schemas an export into `target` works with. Staging and retired names derive from a hash of the target,
 * not from the target itself, so any target name PostgreSQL accepts works (no length left for a suffix is
 * needed), and the next export into the same target finds the leftovers of one that did not finish.
 */
export interface SchemaNames {
  target: string;
  /** Where this export loads and builds: `nfx_staging_<hash>`. */
  staging: string;
  /** Where the previous load goes during the swap, dropped right after: `nfx_retired_<hash>`. */
  retired: string;
  /** Keys of the advisory lock (two int4s) that admits one export into `target` per database at a time. */
  lockKeys: [number, number];
}

export function schemaNames(target: string): SchemaNames {
  if (target.length === 0) throw new UserError('--schema is empty; name the PostgreSQL schema to export into (default netflix_dw)');
  if (target.includes('\0')) throw new UserError('--schema contains a NUL character, which PostgreSQL names cannot hold');
  const bytes = Buffer.byteLength(target, 'utf8');
  if (bytes > MAX_IDENTIFIER_BYTES) {
    throw new UserError(`--schema "${target}" is ${bytes} bytes long; PostgreSQL names are at most ${MAX_IDENTIFIER_BYTES} bytes`);
  }
  if (/^pg_/i.test(target)) throw new UserError(`--schema "${target}": names starting with pg_ are reserved for PostgreSQL's own schemas`);
  if (target === 'information_schema') throw new UserError('--schema information_schema is PostgreSQL\'s own schema; pick another name');
  const hash = createHash('sha256').update(`nfx export:${target}`).digest();
  const tag = hash.subarray(0, 6).toString('hex');
  return {
    target,
    staging: `nfx_staging_${tag}`,
    retired: `nfx_retired_${tag}`,
    lockKeys: [hash.readInt32BE(8) & 0x7fffffff, hash.readInt32BE(12) & 0x7fffffff],
  };
}

/** Every identifier in generated SQL goes through these (node-postgres's quoting): names are never executed. */
export const quoteIdent = pg.escapeIdentifier;
export const quoteLiteral = pg.escapeLiteral;

/** Drops what an earlier, unfinished export into the same target left, and creates this export's staging schema. */
export async function createStaging(client: pg.Client, names: SchemaNames, comment: string): Promise<string[]> {
  const {rows} = await client.query<{nspname: string}>('SELECT nspname FROM pg_namespace WHERE nspname IN ($1, $2) ORDER BY 1', [names.staging, names.retired]);
  await client.query(
    fillSql(loadSql('postgres', '00_staging'), {staging: quoteIdent(names.staging), retired: quoteIdent(names.retired), comment: quoteLiteral(comment)}),
  );
  return rows.map((r) => r.nspname);
}

/** Best effort after a failure: the staging schema goes now rather than at the next export. */
export async function dropStaging(client: pg.Client, names: SchemaNames): Promise<void> {
  await client.query(`DROP SCHEMA IF EXISTS ${quoteIdent(names.staging)} CASCADE`);
}

/**
 * Refuses (UserError) when replacing the target schema would destroy objects nfx did not create: tables, views
 * or functions of someone else's in it, or their foreign keys and views pointing into it. Checked before the
 * load, so nobody waits minutes to hear it, and again in the swap's transaction.
 */
export async function refuseForeignObjects(client: pg.Client, names: SchemaNames): Promise<void> {
  const foreign = await client.query<{object: string}>(loadSql('postgres', '60_foreign_objects'), [names.target, NFX_RELATIONS]);
  if (foreign.rows.length > 0) {
    throw new UserError(
      `schema "${names.target}" holds or is used by objects nfx did not create (${foreign.rows.map((r) => r.object).join('; ')}); an export replaces the whole schema, so move or drop them, or export into another --schema`,
    );
  }
}

/** How long dropping the previous load may wait for queries still reading it. */
const RETIRED_DROP_WAIT = '10s';

export interface PublishResult {
  /** Whether a previous load was replaced (and dropped). */
  replaced: boolean;
  /** GRANT statements carried over from the previous load. */
  grants: number;
}

/**
 * The swap: in one short transaction the previous load is renamed away, the staging schema renamed to the
 * target and the previous load's grants repeated; then, in a transaction of its own, the previous load is dropped.
 * Refuses (UserError) when replacing the target would destroy objects nfx did not create.
 */
export async function publish(client: pg.Client, names: SchemaNames, comment: string): Promise<PublishResult> {
  const values = {
    target: quoteIdent(names.target),
    staging: quoteIdent(names.staging),
    retired: quoteIdent(names.retired),
    comment: quoteLiteral(comment),
  };
  let grants = 0;
  let replaced = false;
  await client.query('BEGIN');
  try {
    const existing = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [names.target]);
    replaced = existing.rowCount === 1;
    if (replaced) {
      await refuseForeignObjects(client, names);
      await client.query(fillSql(loadSql('postgres', '61_retire_previous'), values));
    }
    await client.query(fillSql(loadSql('postgres', '62_publish_staging'), values));
    if (replaced) {
      const statements = await client.query<{statement: string}>(loadSql('postgres', '63_grants'), [names.retired, names.target]);
      for (const {statement} of statements.rows) await client.query(statement);
      grants = statements.rows.length;
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
  if (replaced) {
    try {
      await client.query(fillSql(loadSql('postgres', '64_drop_retired'), {...values, lock_timeout: quoteLiteral(RETIRED_DROP_WAIT)}));
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      log().warn(`the previous load stays in schema ${names.retired} for now (${(err as Error).message}); the next export drops it`);
    }
  }
  return {replaced, grants};
}
