/**
 * Polling for tests that watch another process: `expect(await until(copyingFacts(client))).toBe(true)`.
 */

/** Polls until `ready` holds (checked every 10 ms); false after `ms`. */
export async function until(ready: () => Promise<boolean>, ms = 20_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await ready()) return true;
    await new Promise((r) => setTimeout(r, 10));
  }
  return false;
}
