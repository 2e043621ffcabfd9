import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'dist.*/', 'src/generated/', 'coverage/', 'tmp/', 'data/'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', fetch: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'error',
      eqeqeq: ['error', 'smart'],
      'no-console': ['error', { allow: ['error'] }],
    },
  },
  {
    // interactions/ is the UI layer: only the composition root (container.ts, server.ts) may import it.
    files: ['src/**/*.ts'],
    ignores: ['src/container.ts', 'src/server.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/interactions/**'], message: 'src/ must not import the UI layer; pass what it needs in from the composition root (src/container.ts, src/server.ts).' }] }],
    },
  },
  {
    files: ['scripts/**', 'bench/**'],
    rules: { 'no-console': 'off' },
  },
);
