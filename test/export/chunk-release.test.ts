import {PerformanceObserver, constants} from 'node:perf_hooks';
import {describe, expect, it} from 'vitest';
import {chunkDone} from '../../src/export/chunk-release.js';

// A DuckDB chunk's native memory goes when V8 collects its JavaScript wrapper (a young-generation collection
// is enough: the wrappers are short-lived). chunkDone() must run one every 32 chunks, whatever the heap's state.
describe('chunkDone', () => {
  it('runs a young-generation collection every 32 chunks', async () => {
    const minor: number[] = [];
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        if ((entry.detail as {kind: number}).kind === constants.NODE_PERFORMANCE_GC_MINOR) minor.push(entry.startTime);
      }
    });
    observer.observe({entryTypes: ['gc']});
    try {
      // almost no allocation here: the heap alone would not collect during these 96 calls
      for (let chunk = 0; chunk < 96; chunk++) chunkDone();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(minor.length).toBeGreaterThanOrEqual(3);
    } finally {
      observer.disconnect();
    }
  });
});
