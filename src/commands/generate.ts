import {Flags} from '@oclif/core';
import {NfxCommand} from '../base-command.js';
import {generateDataSet, type GenerateResult} from '../generate/generate.js';
import {resolveGenerateOptions} from '../generate/options.js';
import {renderGenerateSummary} from '../generate/summary.js';

export default class Generate extends NfxCommand {
  static override summary = 'Write a synthetic data set in the exact Netflix Prize file formats.';

  static override description = [
  'Writes combined_data_1..4.txt (Kaggle layout) or training_set/mv_NNNNNNN.txt (original layout), movie_titles in Latin-1 (titles with commas, double quotes, accented letters; some NULL years) and expected.json: the numbers a correct transform must produce. Movie popularity, customer activity, ratings and dates follow the shape of the real data. The same flags and seed always give byte-identical files.',
  'With --dirty, every kind of bad line of the data contract is added, a few of each, and expected.json lists every reject with its file, line and reason.',
  'Defaults follow the real ratios: --movies = ratings/5650 (20..17,770), --customers = ratings/209, raised so that at most a quarter of all (movie, customer) pairs are rated. Counts accept k, M and G suffixes (10M).',
].join('\n\n');

  static override examples = [
    '<%= config.bin %> generate --out ./sample',
    '<%= config.bin %> generate --out /tmp/nfx-100m --ratings 100M --movies 17770 --customers 480189',
    '<%= config.bin %> generate --out ./dirty --ratings 20000 --dirty --layout training-set --gzip --json',
  ];

  static override flags = {
    out: Flags.string({char: 'o', description: 'Directory to write into (created if missing; must be empty unless --force).', required: true}),
    ratings: Flags.string({char: 'n', description: 'Number of ratings to write [default: 1M].', helpValue: 'N'}),
    movies: Flags.string({description: 'Number of movies (ids 1..M) [default: from --ratings, real ratio].', helpValue: 'M'}),
    customers: Flags.string({description: 'Number of distinct customers, ids drawn from 1..2,649,429 [default: from --ratings].', helpValue: 'C'}),
    seed: Flags.string({description: 'Random seed, 0..4294967295; same seed and flags give the same bytes.', default: '42'}),
    layout: Flags.option({
      description: 'combined = combined_data_1..4.txt + movie_titles.csv; training-set = training_set/mv_*.txt + movie_titles.txt.',
      options: ['combined', 'training-set'] as const,
      default: 'combined',
    })(),
    dirty: Flags.boolean({description: 'Add every reject kind of the data contract (a few of each) and list them in expected.json.'}),
    gzip: Flags.boolean({description: 'Write rating files gzip-compressed (.txt.gz).'}),
    force: Flags.boolean({description: 'Write into a non-empty --out, replacing the files a previous generate wrote there.'}),
  };

  async run(): Promise<GenerateResult> {
    const {flags} = await this.parse(Generate);
    const result = await generateDataSet(resolveGenerateOptions(flags));
    this.report(renderGenerateSummary(result));
    return result;
  }
}
