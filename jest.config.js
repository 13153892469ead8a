/**
 * Two tiers (npm run test:unit, npm run test:integration; npm test runs both):
 * - unit: pure code, in-process servers and the CLI called in-process; seconds.
 * - integration: real runner processes, scale, Chromium, interrupts, make, k6 bundles.
 */
const UNIT = ['docs-links', 'leave', 'bad-input', 'engine-node', 'engine-k6', 'options-errors', 'health', 'im-server', 'message-requests', 'message-sequence', 'message-summary-send-plan', 'metrics', 'reconnect', 'stages', 'vu-connection', 'manifests', 'dashboard-metrics'];

const common = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: true }] },
  moduleNameMapper: { '^wsbench$': '<rootDir>/lib/index.ts', '^wsbench/helpers$': '<rootDir>/lib/helpers.ts' },
};

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 120000,
  projects: [
    { ...common, displayName: 'unit', testMatch: UNIT.map((n) => `<rootDir>/test/${n}.test.ts`) },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', ...UNIT.map((n) => `/test/${n}\\.test\\.ts$`)],
    },
  ],
};
