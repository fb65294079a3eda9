import {readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

/** The package root: dist/ and src/ both sit one level below it. */
export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

const cache = new Map<string, string>();

/** Loads `sql/<dialect>/<name>.sql`. Every SQL statement of nfx lives in such a file. */
export function loadSql(dialect: 'duckdb' | 'postgres', name: string): string {
  const key = `${dialect}/${name}`;
  let text = cache.get(key);
  if (text === undefined) {
    text = readFileSync(join(PACKAGE_ROOT, 'sql', dialect, `${name}.sql`), 'utf8');
    cache.set(key, text);
  }
  return text;
}

/** Replaces `{{name}}` placeholders; values must already be quoted literals or identifiers. */
export function fillSql(sql: string, values: Record<string, string | number>): string {
  return sql.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`SQL placeholder {{${name}}} has no value`);
    return String(values[name]);
  });
}

/** A SQL string literal: the text in single quotes, quotes inside doubled. */
export function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

export function nfxVersion(): string {
  const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {version: string};
  return pkg.version;
}
