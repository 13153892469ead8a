/**
 * Two tiers (npm run test:unit, npm run test:integration; npm test runs both), chosen by file name:
 * - unit (`test/*.unit.test.ts`): pure code, in-process servers and the CLI called in-process; seconds.
 * - integration (every other `*.test.ts` under test/): real runner processes, scale, Chromium, interrupts, make, k6 bundles.
 */
const common = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: true }] },
  moduleNameMapper: { '^wsbench$': '<rootDir>/lib/index.ts', '^wsbench/helpers$': '<rootDir>/lib/helpers.ts', '^wsbench/protocols$': '<rootDir>/lib/protocols.ts' },
};

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 120000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/**/*.unit.test.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '\\.unit\\.test\\.ts$'],
    },
  ],
};
