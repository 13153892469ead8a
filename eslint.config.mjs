// ESLint (flat config): the recommended rules of ESLint and typescript-eslint, on the sources and tests.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bench/results/**', 'bench/.peers/**', 'test/.artifacts/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: { ...globals.node },
    },
    rules: {
      // `_`-prefixed parameters are kept on purpose (callbacks with a fixed signature)
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // a `let` that closures read before its one assignment (a socket its own timeout handler reads) stays a `let`
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    // plain CommonJS files: build scripts, bin entry points, configs, browser/bench helpers
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: {
      '@typescript-eslint/no-require-imports': 'off',
      // `const { performance } = require('node:perf_hooks')` names the module's own binding on purpose (Node 20 scripts)
      'no-redeclare': ['error', { builtinGlobals: false }],
    },
  },
);
