import {existsSync} from 'node:fs';
import {join} from 'node:path';
import {Flags} from '@oclif/core';
import {NfxCommand} from '../base-command.js';
import {generateDataSet, type GenerateResult} from '../generate/generate.js';
import {resolveGenerateOptions} from '../generate/options.js';
import {renderGenerateSummary} from '../generate/summary.js';
import {log} from '../log.js';
import {renderTransformSummary} from '../render/transform-summary.js';
import type {TransformSummary} from '../transforms/pipeline.js';

export interface QuickstartResult {
  sample: GenerateResult | null;
  transform: TransformSummary;
}

export default class Quickstart extends NfxCommand {
  static override summary = 'Run the main job end to end on the embedded default: (sample data ->) DuckDB star schema.';

  static override description = `Transforms --data into a DuckDB file, like nfx transform. Without --data it first generates a realistic sample in the Netflix Prize formats (1M ratings, reused on later runs), so it works on a fresh machine with no data and no database server.`;

  static override examples = ['<%= config.bin %> quickstart', '<%= config.bin %> quickstart --data ./netflix-prize --db netflix.duckdb'];

  static override flags = {
    data: Flags.directory({char: 'd', description: 'Folder with Netflix Prize files [default: a generated sample in ./nfx-sample].', env: 'NFX_DATA'}),
    db: Flags.string({description: 'DuckDB file to write.', env: 'NFX_DB', default: './netflix.duckdb'}),
    ratings: Flags.string({description: 'Size of the generated sample, when no --data is given.', default: '1000000'}),
  };

  async run(): Promise<QuickstartResult> {
    const {flags} = await this.parse(Quickstart);
    let sample: GenerateResult | null = null;
    let dataDir = flags.data;
    if (!dataDir) {
      dataDir = './nfx-sample';
      if (existsSync(join(dataDir, 'expected.json'))) {
        log().info(`using the sample generated earlier in ${dataDir} (delete it to draw a new one)`);
      } else {
        sample = await generateDataSet(resolveGenerateOptions({out: dataDir, ratings: flags.ratings}));
        this.report(`${renderGenerateSummary(sample)}\n`);
      }
    }
    // loaded here, not at the top: every nfx invocation imports every command file
    const {runTransform} = await import('../transforms/pipeline.js');
    const transform = await runTransform({dataDir, db: flags.db});
    this.report(renderTransformSummary(transform));
    if (!this.jsonEnabled() && !flags.quiet) {
      this.log(`\nnext: nfx inspect --db ${flags.db}, nfx query --db ${flags.db} --report top-movies, nfx report --db ${flags.db} --out report.html,\n      or into PostgreSQL: nfx export --target pg --db ${flags.db} --url postgres://USER@HOST/DB`);
    }
    return {sample, transform};
  }
}
