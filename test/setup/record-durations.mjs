import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';

/**
 * Writes test/setup/durations.json, the order in which Jest starts the files on a clean clone
 * (longest-first.mjs), from the results of a run of the whole suite:
 * `node test/setup/record-durations.mjs .ci/out/jest-server.json`.
 */
const [results] = process.argv.slice(2);
if (!results) throw new Error('usage: node test/setup/record-durations.mjs <output of jest --json>');
const root = new URL('../..', import.meta.url).pathname;
const durations = Object.fromEntries(
  JSON.parse(readFileSync(results, 'utf8'))
    .testResults.map(({ name, startTime, endTime }) => [relative(root, name), endTime - startTime])
    .sort(([a], [b]) => a.localeCompare(b)),
);
writeFileSync(new URL('durations.json', import.meta.url), `${JSON.stringify(durations, null, 2)}\n`);
