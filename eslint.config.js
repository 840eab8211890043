import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'capstan-data/**', 'coverage/**', '.bench-data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['warn', 'error'] }],
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // Commands, scripts and benchmarks talk to a terminal on purpose.
    files: ['packages/cli/**', 'bench/**', 'examples/**', '**/*.test.ts', '.ci/**'],
    rules: { 'no-console': 'off' },
  },
);
