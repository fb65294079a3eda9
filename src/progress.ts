import {log, progressEnabled} from './log.js';

const BAR_WIDTH = 24;
const PLAIN_INTERVAL_MS = 5000;
const TTY_INTERVAL_MS = 120;

export function formatCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(1)}k`;
  return String(Math.round(n));
}

/** `row` or `rows` (any noun with a plain -s plural) for a count of n: summaries never say "1 rows". */
export function plural(n: number, noun: string): string {
  return n === 1 ? noun : `${noun}s`;
}

export function formatBytes(n: number): string {
  if (n >= 1 << 30) return `${(n / (1 << 30)).toFixed(2)} GB`;
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MB`;
  if (n >= 1 << 10) return `${(n / (1 << 10)).toFixed(1)} kB`;
  return `${n} B`;
}

export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)}s`;
  const m = Math.floor(s / 60);
  return `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
}

/**
 * A progress bar on stderr: `label [#####.....] 45% 1.2 GB/2.5 GB 5.31M rows/s ETA 12s`.
 * On a terminal it redraws in place; elsewhere (CI, pipes, --log-file) it prints a plain line every few seconds.
 * `total` is in `unit`s (bytes or rows); `rows` counts what was produced so far.
 */
export class Progress {
  private readonly started = performance.now();
  private lastDraw = 0;
  private done = 0;
  private rows = 0;
  private readonly tty = Boolean(process.stderr.isTTY);
  private readonly enabled = progressEnabled();

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly unit: 'bytes' | 'rows' = 'bytes',
  ) {}

  update(done: number, rows: number): void {
    this.done = done;
    this.rows = rows;
    if (!this.enabled) return;
    const now = performance.now();
    if (now - this.lastDraw < (this.tty ? TTY_INTERVAL_MS : PLAIN_INTERVAL_MS)) return;
    this.lastDraw = now;
    this.draw(false);
  }

  finish(done = this.done, rows = this.rows): void {
    this.done = done;
    this.rows = rows;
    if (this.enabled) this.draw(true);
  }

  private line(): string {
    const seconds = (performance.now() - this.started) / 1000;
    const fraction = this.total > 0 ? Math.min(1, this.done / this.total) : 1;
    const filled = Math.round(fraction * BAR_WIDTH);
    const bar = `${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}`;
    const amount =
      this.unit === 'bytes' ? `${formatBytes(this.done)}/${formatBytes(this.total)}` : `${formatCount(this.done)}/${formatCount(this.total)}`;
    const rate = seconds > 0 ? `${formatCount(this.rows / seconds)} rows/s` : '';
    const eta = fraction > 0 && fraction < 1 ? `ETA ${formatSeconds((seconds / fraction) * (1 - fraction))}` : formatSeconds(seconds);
    return `${this.label} [${bar}] ${(fraction * 100).toFixed(0).padStart(3)}% ${amount} ${rate} ${eta}`;
  }

  private draw(final: boolean): void {
    if (this.tty) {
      const width = process.stderr.columns ?? 100;
      process.stderr.write(`\r${this.line().slice(0, width - 1).padEnd(width - 1)}${final ? '\n' : ''}`);
    } else {
      log().info(this.line());
    }
  }
}
