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

/** Drops what an earlier, unfinished export into the same target left (its staging or retired schema); returns their names. */
export async function removeLeftovers(client: pg.Client, names: SchemaNames): Promise<string[]> {
  const {rows} = await client.query<{nspname: string}>('SELECT nspname FROM pg_namespace WHERE nspname IN ($1, $2) ORDER BY 1', [names.staging, names.retired]);
  if (rows.length > 0) await client.query(fillSql(loadSql('postgres', '00_leftovers'), {staging: quoteIdent(names.staging), retired: quoteIdent(names.retired)}));
  return rows.map((r) => r.nspname);
}

/** Drops what an earlier, unfinished export into the same target left, and creates this export's staging schema. */
export async function createStaging(client: pg.Client, names: SchemaNames, comment: string): Promise<string[]> {
  const removed = await removeLeftovers(client, names);
  await client.query(fillSql(loadSql('postgres', '00_staging'), {staging: quoteIdent(names.staging), comment: quoteLiteral(comment)}));
  return removed;
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

/** The warehouse an export came from, as the comment nfx export puts on its schema records it. */
export interface ExportOrigin {
  path: string;
  /** etl_run id of the transform that built it; null when the warehouse had none. */
  runId: string | null;
}

/** The schema comment of an export: `nfx VERSION export of PATH (transform run ID) at TIME`. */
export function exportComment(version: string, origin: ExportOrigin, at: Date): string {
  return `nfx ${version} export of ${origin.path}${origin.runId ? ` (transform run ${origin.runId})` : ''} at ${at.toISOString()}`;
}

/** The origin recorded by exportComment; null for any other comment (the schema is not an nfx export). */
export function parseExportComment(comment: string | null): ExportOrigin | null {
  const match = /^nfx \S+ export of (.+?)(?: \(transform run (\S+)\))? at \S+$/.exec(comment ?? '');
  return match ? {path: match[1], runId: match[2] ?? null} : null;
}

/**
 * Refuses (UserError) to replace an existing schema that nfx export did not create (PostgreSQL's own `public`,
 * a schema a DBA made): always when it holds anything, and when empty unless `replaceEmpty` (--replace-empty-schema).
 */
export async function refuseUnownedSchema(client: pg.Client, names: SchemaNames, replaceEmpty: boolean): Promise<void> {
  const {rows} = await client.query<{comment: string | null; owner: string; objects: string}>(loadSql('postgres', '59_target_schema'), [names.target]);
  const existing = rows[0];
  if (!existing || parseExportComment(existing.comment)) return;
  const objects = Number(existing.objects);
  const whose = `schema "${names.target}" exists and was not created by nfx export (owner ${existing.owner})`;
  if (objects > 0) {
    throw new UserError(`${whose} and holds ${objects} object${objects === 1 ? '' : 's'}; an export replaces the whole schema, so export into another --schema`);
  }
  if (!replaceEmpty) {
    throw new UserError(
      `${whose}; it is empty, but an export replaces the whole schema and its comment: pass --replace-empty-schema to export into it anyway (its owner and privileges are kept), or pick another --schema`,
    );
  }
}

/** The new load's schema gets the previous one's owner (PostgreSQL's pg_database_owner for public, a DBA's role). */
async function keepOwner(client: pg.Client, names: SchemaNames): Promise<void> {
  const {rows} = await client.query<{owner: string; me: string}>(
    'SELECT pg_get_userbyid(nspowner) AS owner, current_user AS me FROM pg_namespace WHERE nspname = $1',
    [names.retired],
  );
  const owner = rows[0]?.owner;
  if (!owner || owner === rows[0].me) return;
  try {
    await client.query(`ALTER SCHEMA ${quoteIdent(names.target)} OWNER TO ${quoteIdent(owner)}`);
  } catch (err) {
    if ((err as {code?: string}).code !== '42501') throw err;
    throw new UserError(
      `schema "${names.target}" is owned by ${owner}, and this role may not give the new load to it (${(err as Error).message}); nothing was published: export as a member of ${owner}, or into another --schema`,
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
export async function publish(client: pg.Client, names: SchemaNames, comment: string, replaceEmpty: boolean): Promise<PublishResult> {
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
      await refuseUnownedSchema(client, names, replaceEmpty);
      await refuseForeignObjects(client, names);
      await client.query(fillSql(loadSql('postgres', '61_retire_previous'), values));
    }
    await client.query(fillSql(loadSql('postgres', '62_publish_staging'), values));
    if (replaced) {
      const statements = await client.query<{statement: string}>(loadSql('postgres', '63_grants'), [names.retired, names.target]);
      for (const {statement} of statements.rows) await client.query(statement);
      grants = statements.rows.length;
      await keepOwner(client, names);
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
