import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import Sequencer from '@jest/test-sequencer';

/**
 * Each file's run time from a recorded run of the whole suite, in milliseconds, by path from the
 * repository's root (`node test/setup/record-durations.mjs <jest --json output>` writes it).
 */
const RECORDED = JSON.parse(readFileSync(new URL('durations.json', import.meta.url), 'utf8'));

/**
 * Jest runs the longest files first, so that its two workers finish together, but it knows their
 * times only from its cache of earlier runs on this machine and this path: a clean clone has none,
 * and Jest would fall back to the size of the files, which starts the browser tests and the schema
 * fuzz (short files, long runs) halfway and leaves one worker alone at the end. The recorded times
 * stand in for the cache where it has nothing. A file in neither (one added since, or left out of
 * the record) counts as instant and runs at the end: record the times again when a long file comes.
 */
export default class LongestFirst extends Sequencer {
  time(test) {
    return super.time(test) ?? RECORDED[relative(test.context.config.rootDir, test.path)] ?? 0;
  }
}
