/**
 * Jest runs in ESM mode because the Nest 12 packages are ESM-only (see docs/stack.md, trap 1).
 * Start it through `npm test`, which passes --experimental-vm-modules.
 */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.jest.json' }] },
  testMatch: ['<rootDir>/{src,libs}/**/*.spec.ts', '<rootDir>/test/**/*.test.ts'],
  globalSetup: '<rootDir>/test/setup/global-setup.mjs',
  globalTeardown: '<rootDir>/test/setup/global-teardown.mjs',
  testSequencer: '<rootDir>/test/setup/longest-first.mjs',
  setupFilesAfterEnv: ['<rootDir>/test/setup/file-database.ts'],
  testTimeout: 120_000,
  maxWorkers: 2,
};
