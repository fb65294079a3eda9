#!/usr/bin/env node
/**
 * Writes oclif.manifest.json, the list of commands with their flags and help. Without it oclif builds the
 * list at every start by importing every command module and what they import (pg, the report's renderer),
 * about 70 ms of each run. Part of `npm run build`, after tsc; generated, not committed.
 */
import {rmSync, writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const path = join(root, 'oclif.manifest.json');
// oclif would read the old manifest instead of the compiled commands
rmSync(path, {force: true});
const {Config} = createRequire(import.meta.url)('@oclif/core');
const config = await Config.load(root);
const manifest = config.plugins.get(config.pjson.name)?.manifest;
if (!manifest || Object.keys(manifest.commands).length === 0) throw new Error('oclif found no commands in dist/commands: run tsc first');
writeFileSync(path, `${JSON.stringify(manifest, null, 2)}\n`);
