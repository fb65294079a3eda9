import {readFileSync} from 'node:fs';
import {isIPv4} from 'node:net';
import {userInfo} from 'node:os';
import pg from 'pg';
import {UserError} from '../errors.js';
import {redact} from '../log.js';
import {loadSql} from '../sql.js';

/** libpq's sslmode values; node-postgres's own `no-verify` is accepted as `require`. */
const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full', 'no-verify'] as const;
type SslMode = (typeof SSL_MODES)[number];

/** URL parameters nfx interprets itself (libpq semantics) instead of leaving them to node-postgres. */
const SSL_PARAMS = ['sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'ssl', 'uselibpqcompat'];

export interface PgTarget {
  /** Where the connection settings came from: `--url`, `DATABASE_URL` or `PG* variables`. */
  source: '--url' | 'DATABASE_URL' | 'PG* variables';
  /** host:port/database, never credentials: safe for logs and --json. */
  display: string;
  sslmode: string;
  /** Opens a new connection; every failure is a UserError saying what to fix. */
  connect(applicationName: string): Promise<pg.Client>;
}

/**
 * The PostgreSQL to export to: `--url`, else DATABASE_URL, else the libpq PG* variables (which node-postgres
 * reads: PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE). sslmode follows libpq, not node-postgres, which treats
 * `require` as `verify-full` and cannot fall back from `prefer`: see tlsOptions.
 */
export function resolveTarget(url: string | undefined, env: NodeJS.ProcessEnv = process.env): PgTarget {
  const source: PgTarget['source'] = url ? '--url' : env.DATABASE_URL ? 'DATABASE_URL' : 'PG* variables';
  const text = url ?? env.DATABASE_URL;
  let connectionString: string | undefined;
  const params = new Map<string, string>();
  if (text) {
    if (!/^postgres(ql)?:\/\//i.test(text)) {
      throw new UserError(`${source} must be a connection URL starting with postgres:// or postgresql://, like postgres://user:password@host:5432/database`);
    }
    // the query string only: the rest (user, password, host, socket paths) is node-postgres's to parse
    const [head, ...rest] = text.split('?');
    const query = new URLSearchParams(rest.join('?'));
    for (const name of SSL_PARAMS) {
      const value = query.get(name);
      if (value !== null) params.set(name, value);
      query.delete(name);
    }
    connectionString = query.size > 0 ? `${head}?${query.toString()}` : head;
  }
  const sslmode = params.get('sslmode') ?? env.PGSSLMODE ?? 'prefer';
  if (!(SSL_MODES as readonly string[]).includes(sslmode)) {
    throw new UserError(`sslmode ${sslmode} is not one of ${SSL_MODES.slice(0, 6).join(', ')}`);
  }
  const files = {
    rootcert: params.get('sslrootcert') ?? env.PGSSLROOTCERT,
    cert: params.get('sslcert') ?? env.PGSSLCERT,
    key: params.get('sslkey') ?? env.PGSSLKEY,
  };
  const tls = tlsOptions(sslmode as SslMode, files);
  let base: pg.ClientConfig = connectionString ? {connectionString} : {};
  let display: string;
  try {
    base = withLibpqDefaults(base, new pg.Client(base));
    display = describe(new pg.Client(base));
  } catch {
    throw new UserError(`${source} is not a valid connection URL; write it like postgres://user:password@host:5432/database`);
  }
  const fix = text || PG_CONNECTION_VARIABLES.some((name) => env[name]) ? undefined : nothingSetFix(base.user ?? osUser());
  // prefer/allow: TLS when the server offers it, else plain; learnt on the first connection, reused after
  let plainFallback = false;

  return {
    source,
    display,
    sslmode,
    async connect(applicationName: string): Promise<pg.Client> {
      const open = async (ssl: pg.ClientConfig['ssl']): Promise<pg.Client> => {
        const client = new pg.Client({...base, ssl, fallback_application_name: applicationName, connectionTimeoutMillis: 30_000});
        // a connection dropped by the server while idle must not crash the process; the next query reports it
        client.on('error', () => undefined);
        await client.connect();
        await checkClientConnection(client);
        return client;
      };
      try {
        if (tls.mode === 'optional' && plainFallback) return await open(false);
        return await open(tls.ssl);
      } catch (err) {
        if (tls.mode === 'optional' && isNoTlsError(err)) {
          plainFallback = true;
          try {
            return await open(false);
          } catch (plainErr) {
            throw connectError(plainErr, display, sslmode, fix);
          }
        }
        throw connectError(err, display, sslmode, fix);
      }
    },
  };
}

/** How often the server checks, during a long statement, that the client is still there (PostgreSQL 14+). */
const CLIENT_CHECK_INTERVAL = '1s';

/**
 * Makes the server cancel this connection's statement, and end the session, within about a second once nfx is
 * gone (killed, crashed): without it a dead export's index builds run to their end, holding the export lock.
 * Skipped where the setting does not exist (before PostgreSQL 14) or the server's platform cannot check (22023).
 */
async function checkClientConnection(client: pg.Client): Promise<void> {
  try {
    await client.query(loadSql('postgres', '01_client_check'), [CLIENT_CHECK_INTERVAL]);
  } catch (err) {
    if ((err as {code?: string}).code !== '22023') throw err;
  }
}

/** The libpq variables that say where the server is; with none of them (and no URL) libpq's defaults apply. */
const PG_CONNECTION_VARIABLES = ['PGHOST', 'PGHOSTADDR', 'PGPORT', 'PGUSER', 'PGDATABASE', 'PGSERVICE'];

/** libpq's default user where node-postgres has none (it reads $USER, unset for root in containers): the OS user. */
function withLibpqDefaults(base: pg.ClientConfig, probe: pg.Client): pg.ClientConfig {
  return (probe as unknown as {user?: string}).user ? base : {...base, user: osUser()};
}

/** The OS user's name, libpq's default user (a user id without a passwd entry has none: then $USER or postgres). */
function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'postgres';
  }
}

/** What to fix when nothing told nfx where the server is. */
function nothingSetFix(user: string): string {
  return `no --url, DATABASE_URL or PG* variable is set, so nfx tried libpq's defaults: localhost:5432 and a database named after the user, ${user}; pass --url postgres://USER@HOST:5432/DATABASE, or set DATABASE_URL, or PGHOST and PGDATABASE`;
}

interface TlsChoice {
  /** required: fail without TLS; optional: fall back to plain; off: never TLS. */
  mode: 'required' | 'optional' | 'off';
  ssl: pg.ClientConfig['ssl'];
}

/** libpq's sslmode, mapped to Node's TLS options. */
export function tlsOptions(sslmode: SslMode, files: {rootcert?: string; cert?: string; key?: string}): TlsChoice {
  if (sslmode === 'disable') return {mode: 'off', ssl: false};
  const read = (what: string, path: string | undefined): string | undefined => {
    if (!path || (what === 'sslrootcert' && path === 'system')) return undefined;
    try {
      return readFileSync(path, 'utf8');
    } catch (err) {
      throw new UserError(`cannot read ${what} ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  };
  const ca = read('sslrootcert', files.rootcert);
  const clientCert = {...(files.cert ? {cert: read('sslcert', files.cert)} : {}), ...(files.key ? {key: read('sslkey', files.key)} : {})};
  // verify-ca: the chain is checked, the host name is not
  const skipHostname = {checkServerIdentity: () => undefined};
  switch (sslmode) {
    case 'allow':
    case 'prefer':
      return {mode: 'optional', ssl: {rejectUnauthorized: false, ...clientCert}};
    case 'require':
    case 'no-verify':
      // libpq: require encrypts without verifying, unless a root certificate is given (then it acts as verify-ca)
      return {mode: 'required', ssl: ca ? {ca, ...skipHostname, ...clientCert} : {rejectUnauthorized: false, ...clientCert}};
    case 'verify-ca':
      if (!ca) throw new UserError('sslmode=verify-ca needs the server\'s CA certificate: add sslrootcert=/path/to/root.crt (or set PGSSLROOTCERT)');
      return {mode: 'required', ssl: {ca, ...skipHostname, ...clientCert}};
    case 'verify-full':
      // without sslrootcert (or with sslrootcert=system) the system's trusted CAs verify the server
      return {mode: 'required', ssl: {...(ca ? {ca} : {}), ...clientCert}};
  }
}

/** The pid of the server process behind a connection (node-postgres keeps it from the BackendKeyData message). */
export function backendPid(client: pg.Client): number | null {
  return (client as unknown as {processID: number | null}).processID ?? null;
}

/**
 * Whether the client reaches its server on this machine: a Unix socket, `localhost` or a loopback address.
 * Only then do this machine's cores say anything about the server's.
 */
export function serverOnThisMachine(client: pg.Client): boolean {
  const {host} = client as unknown as {host: string | undefined};
  if (!host || host.startsWith('/')) return true;
  // node-postgres takes a URL's [::1] without its brackets; a bracketed host given otherwise never connects
  const name = host.toLowerCase();
  return name === 'localhost' || name === '::1' || (isIPv4(name) && name.startsWith('127.'));
}

function describe(client: pg.Client): string {
  const {host, port, database, user} = client as unknown as {host: string; port: number; database?: string; user?: string};
  const where = host?.startsWith('/') ? `socket ${host}` : `${host}:${port}`;
  // no database given: the server takes the user's name, as libpq does
  return `${where}/${database || user || osUser()}`;
}

function isNoTlsError(err: unknown): boolean {
  return err instanceof Error && /does not support SSL/i.test(err.message);
}

/** A failed connection, as one line saying what to fix. Never contains the password. */
export function connectError(err: unknown, display: string, sslmode: string, fix = 'check --url, DATABASE_URL or the PG* variables'): unknown {
  const e = err as NodeJS.ErrnoException & {code?: string; message: string};
  const message = redact(e?.message ?? String(err));
  if (isNoTlsError(err)) {
    return new UserError(`PostgreSQL at ${display} does not accept TLS connections, but sslmode=${sslmode} requires TLS: enable ssl on the server or use sslmode=prefer`);
  }
  if (/error establishing an SSL connection/i.test(message)) {
    // PostgreSQL answers the TLS request with one byte, S or N: anything else is another service on that port
    return new UserError(`cannot connect to PostgreSQL at ${display}: the server there did not answer as PostgreSQL (its reply to the TLS request was not PostgreSQL's); check the host and port (${fix})`);
  }
  switch (e?.code) {
    case 'ECONNREFUSED':
      return new UserError(`cannot connect to PostgreSQL at ${display}: connection refused; is the server running on that host and port? (${fix})`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new UserError(`cannot connect to PostgreSQL at ${display}: host not found; ${fix}`);
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new UserError(`cannot connect to PostgreSQL at ${display}: host unreachable (${e.code}); check the address and any firewall`);
    case 'ENOENT':
      return new UserError(`cannot connect to PostgreSQL at ${display}: no server socket there; is the server running? (${fix})`);
    case '28P01':
      return new UserError(`PostgreSQL at ${display} rejected the password: ${message}; fix the password in the URL, PGPASSWORD or ~/.pgpass`);
    case '28000':
      return new UserError(`PostgreSQL at ${display} refused the connection: ${message}; check the user name and the server's pg_hba.conf (or sslmode)`);
    case '3D000':
      return new UserError(`PostgreSQL at ${display}: ${message}; create it first (createdb) or name an existing database in the URL`);
    case '53300':
      return new UserError(`PostgreSQL at ${display} has no free connection slots (${message}); lower --jobs or retry later`);
  }
  if (/self[- ]signed|unable to verify|unable to get local issuer|certificate/i.test(message)) {
    return new UserError(`the TLS certificate of PostgreSQL at ${display} could not be verified (${message}); pass sslrootcert=FILE with the server's CA, or sslmode=require to encrypt without verifying`);
  }
  if (/password must be a string|SASL|no password/i.test(message)) {
    return new UserError(`PostgreSQL at ${display} asks for a password and none was given: put it in the URL, PGPASSWORD or ~/.pgpass`);
  }
  if (/timeout/i.test(message)) {
    return new UserError(`cannot connect to PostgreSQL at ${display}: timed out; check the address and any firewall`);
  }
  if (/Connection terminated|ECONNRESET/i.test(message)) {
    return new UserError(`PostgreSQL at ${display} closed the connection while it was being set up (${message}); check sslmode and the server's log`);
  }
  return err;
}

/**
 * A PostgreSQL error during the export, as a UserError when the user can act on it (permissions, a lost
 * connection, a full disk); anything else is returned as it is (a bug: exit 1).
 */
export function serverError(err: unknown, where: {display: string; schema: string; phase: string}): unknown {
  if (err instanceof UserError) return err;
  const e = err as {code?: string; message?: string};
  const message = redact(e?.message ?? String(err));
  const unchanged = `nothing was published and schema "${where.schema}" is as it was`;
  const code = e?.code ?? '';
  if (code === '42501') {
    return new UserError(
      `PostgreSQL at ${where.display} refused ${where.phase}: ${message}; the role needs CREATE on the database (GRANT CREATE ON DATABASE ... TO ...) and must own schema "${where.schema}" if it exists`,
    );
  }
  if (
    ['57P01', '57P02', '57P03', '08000', '08003', '08006', 'ECONNRESET', 'EPIPE'].includes(code) ||
    /Connection terminated|not queryable|connection error|terminating connection/i.test(message)
  ) {
    // lost during the swap, perhaps only the answer to its COMMIT was lost: either load may be in place
    const state = where.phase.startsWith('publishing')
      ? `schema "${where.schema}" holds either the previous or the new complete load (nfx verify --target pg tells which)`
      : unchanged;
    return new UserError(`the connection to PostgreSQL at ${where.display} was closed during ${where.phase} (${message}); ${state}; run the export again`);
  }
  if (code === '53100' || code === '53200' || code === '53000') {
    return new UserError(`PostgreSQL at ${where.display} ran out of resources during ${where.phase} (${message}); ${unchanged}; free space or memory on the server and run it again`);
  }
  if (code === '57014') {
    return new UserError(`PostgreSQL at ${where.display} cancelled a statement during ${where.phase} (${message}); ${unchanged}`);
  }
  if (code === '25006') {
    return new UserError(`PostgreSQL at ${where.display} is read-only (a standby?): ${message}; export to the primary server`);
  }
  return err;
}
