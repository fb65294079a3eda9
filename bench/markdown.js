#!/usr/bin/env node
/**
 * node bench/markdown.js bench/results/<date>-<N>.json [...]
 *
 * Prints a results file as the Markdown tables BENCHMARKS.md holds (one section per file), so the document
 * is updated from measured figures, never typed in by hand.
 */
import {readFileSync} from 'node:fs';
import {basename} from 'node:path';

const fmt = (x, digits = 2) => (x === null || x === undefined ? '–' : x.toFixed(digits));
const millions = (x) => (x ? fmt(x / 1e6) : '–');

function section(file) {
  const r = JSON.parse(readFileSync(file, 'utf8'));
  const m = r.machine;
  const out = [];
  out.push(`### ${r.ratings.toLocaleString('en-US')} ratings — \`${basename(file)}\``, '');
  out.push(
    `\`${r.command}\` · ${r.rounds} round(s), --jobs ${r.jobs} · input ${fmt(r.dataset.bytes / 1e6, 1)} MB` +
      (r.dataset.factCsvBytes ? ` (fact as CSV ${fmt(r.dataset.factCsvBytes / 1e6, 1)} MB)` : '') +
      ` · nfx ${m.nfxCommit}${m.nfxUncommittedSrcFiles ? ` + ${m.nfxUncommittedSrcFiles} uncommitted src files` : ''}` +
      ` · load average ${r.roundsDetail[0]?.loadAverage?.[0] ?? '–'} at start, ${m.loadAverageAtEnd[0]} at end`,
    '',
  );
  out.push('| stage | median s | min–max s | CPU s | PostgreSQL CPU s | M rows/s | MB/s | peak RSS MiB | PostgreSQL RSS / PSS MiB | other work, cores |');
  out.push('|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|');
  for (const st of Object.values(r.stages)) {
    const label = st.label.startsWith('  ') ? `&nbsp;&nbsp;↳ ${st.label.trim()}` : st.label;
    out.push(
      `| ${label.replaceAll('|', '\\|')} | ${fmt(st.median, 2)} | ${fmt(st.min, 2)}–${fmt(st.max, 2)} | ${fmt(st.cpuSecondsMedian, 1)} | ${fmt(st.pgCpuSecondsMedian ?? null, 1)} | ${millions(st.rowsPerSecond)} | ${fmt(st.mbPerSecond, 1)} | ${fmt(st.peakRssMiB, 0)} | ${st.pgPeakRssMiB !== null ? `${fmt(st.pgPeakRssMiB, 0)} / ${fmt(st.pgPeakPssMiB, 0)}` : '–'} | ${fmt(st.othersCoresMedian ?? null, 2)} |`,
    );
  }
  out.push('', '| ratio nfx / baseline | of medians | median of per-round pairs |', '|---|--:|--:|');
  for (const [id, q] of Object.entries(r.ratios)) out.push(`| ${id}: ${q.nfx} / ${q.baseline} | ${fmt(q.ratioOfMedians, 3)} | ${fmt(q.medianOfPairedRatios, 3)} |`);
  out.push('', '| target | measured | |', '|---|--:|---|');
  for (const t of r.targets) {
    if (t.met === null) continue;
    out.push(`| ${t.description} | ${t.measured} ${t.unit} | ${t.met ? 'met' : '**missed**'} |`);
  }
  if (r.noisy?.length) out.push('', ...r.noisy.map((note) => `- noisy: ${note}`));
  if (r.errors.length) out.push('', ...r.errors.map((e) => `- error in round ${e.round}, ${e.stage}: ${e.message.split('\n')[0]}`));
  return out.join('\n');
}

const files = process.argv.slice(2);
if (files.length === 0) {
  process.stderr.write('usage: node bench/markdown.js bench/results/<date>-<N>.json [...]\n');
  process.exit(2);
}
process.stdout.write(`${files.map(section).join('\n\n')}\n`);
