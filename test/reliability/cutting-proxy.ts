/**
 * A TCP proxy between nfx and PostgreSQL that cuts a connection at one chosen moment: once a client has sent a
 * simple query matching `after`, and then one matching `cutAt`, that query reaches the server and runs, but its
 * answer is dropped along with the connection, so the client cannot know whether it ran (a network failure at
 * the worst moment, made repeatable).
 *
 *   const proxy = await startCuttingProxy(db.url, /COMMENT ON SCHEMA/, /^COMMIT/);
 *   await runNfx(['export', '--url', proxy.url, ...]);     // its swap commits; nfx never hears so
 *   expect(proxy.cuts).toBe(1);
 *
 * Connections go through as plain text (sslmode=disable) so that the proxy can read the client's messages.
 */
import {createServer, connect, type Socket} from 'node:net';
import {registerCleanup} from '../helpers/cleanup.js';

export interface CuttingProxy {
  /** `url` with the proxy's port and sslmode=disable. */
  url: string;
  /** Connections cut so far. */
  cuts: number;
}

/** StartupMessage-phase codes of requests that are followed by another untyped message. */
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;

export async function startCuttingProxy(url: string, after: RegExp, cutAt: RegExp): Promise<CuttingProxy> {
  const target = new URL(url);
  const sockets = new Set<Socket>();
  const proxy: CuttingProxy = {url: '', cuts: 0};
  const server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    sockets.add(client).add(upstream);
    let pending = Buffer.alloc(0);
    let typed = false; // past the startup message: every message starts with a type byte
    let armed = false; // a query matching `after` went by
    let cutting = false; // a query matching `cutAt` went to the server: its answer is not passed on
    const cut = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk: Buffer) => {
      upstream.write(chunk);
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        const header = typed ? 5 : 4;
        if (pending.length < header) break;
        const length = pending.readInt32BE(typed ? 1 : 0) + (typed ? 1 : 0);
        if (pending.length < length) break;
        const message = pending.subarray(0, length);
        pending = pending.subarray(length);
        if (!typed) {
          const code = message.length >= 8 ? message.readInt32BE(4) : 0;
          typed = code !== SSL_REQUEST && code !== GSSENC_REQUEST;
        } else if (message[0] === 0x51 /* Q: simple query */) {
          const query = message.toString('utf8', 5, message.length - 1);
          if (armed && cutAt.test(query)) cutting = true;
          else if (after.test(query)) armed = true;
        }
      }
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!cutting) return void client.write(chunk);
      proxy.cuts++;
      cut();
    });
    for (const socket of [client, upstream]) {
      socket.on('error', cut);
      socket.on('close', () => {
        sockets.delete(socket);
        cut();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  registerCleanup(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  const proxied = new URL(url);
  proxied.hostname = '127.0.0.1';
  proxied.port = String((server.address() as {port: number}).port);
  proxied.searchParams.set('sslmode', 'disable');
  proxy.url = proxied.toString();
  return proxy;
}
