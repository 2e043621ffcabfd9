/** @type {import('jest').Config} */
export default {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, diagnostics: false }],
  },
  // Two cores: one worker runs tests while the other serves the Gatehouse it talks to.
  maxWorkers: 2,
  testTimeout: 60_000,
  // bin/gatehouse.js runs the compiled build: make it from the sources under test.
  globalSetup: '<rootDir>/test/support/build-dist.js',
};
