/** The sha256 of a file's bytes, in hex: to tell that a file was left exactly as it was. */
import {createHash} from 'node:crypto';
import {readFileSync} from 'node:fs';

export const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');
