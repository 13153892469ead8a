/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: true, tsconfig: 'tsconfig.jest.json' }] },
  moduleNameMapper: { '^wsbench$': '<rootDir>/lib/index.ts', '^wsbench/helpers$': '<rootDir>/lib/helpers.ts' },
  testTimeout: 120000,
};
