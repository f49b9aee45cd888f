// `npm run fuzz -- --runs 500 --seed 7 --only createTransfer`: the schema fuzz of CI, run longer,
// with another seed, or on some fields only. Options become the environment the test file reads.
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { runs: { type: 'string' }, seed: { type: 'string' }, only: { type: 'string' }, report: { type: 'string' } },
});
const env = { ...process.env };
if (values.runs) env.FUZZ_RUNS = values.runs;
if (values.seed) env.FUZZ_SEED = values.seed;
if (values.only) env.FUZZ_ONLY = values.only;
if (values.report) env.FUZZ_REPORT = values.report;
// A long run outlives Jest's default test timeout; each field gets an hour.
const jest = [
  '--experimental-vm-modules',
  '--disable-warning=ExperimentalWarning',
  'node_modules/jest/bin/jest.js',
  'test/e2e/fuzz-schema.test.ts',
  '--testTimeout=3600000',
];
const { status } = spawnSync(process.execPath, jest, { stdio: 'inherit', env });
process.exit(status ?? 1);
