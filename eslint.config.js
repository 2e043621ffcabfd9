import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { FLOORS } from './scripts/floors.js';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'dist.*/',
      'src/generated/',
      'test/admin-api/generated/',
      'coverage/',
      'tmp/',
      'data/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        fetch: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'error',
      eqeqeq: ['error', 'smart'],
      'no-console': ['error', { allow: ['error'] }],
    },
  },
  // The floors (scripts/floors.js): a folder imports from its own floor and those below, never
  // from above; the UI layer (interactions/) only from the composition root. One rule per floor.
  ...FLOORS.map((floor, rank) => {
    const above = FLOORS.slice(rank + 1).filter((higher) => higher !== 'interactions');
    const names = above.map((higher) => higher.split('/').pop());
    const patterns = names.length
      ? [
          {
            regex: `(^|/)(${names.join('|')})/`,
            message: `${floor}/ may not import from a higher floor (${above.join(', ')}): pass what it needs in through a factory from src/boot/ (see scripts/floors.js).`,
          },
        ]
      : [];
    if (floor !== 'src/boot' && floor !== 'interactions') {
      patterns.push({
        regex: '(^|/)interactions/',
        message: 'Only the composition root (src/boot/) imports the UI layer; pass what it needs in from there.',
      });
    }
    return { files: [`${floor}/**/*.ts`], rules: { 'no-restricted-imports': ['error', { patterns }] } };
  }),
  // Our page scripts run in the browser (served by src/http/page-scripts.ts), not in Node.
  {
    files: ['interactions/assets/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: Object.fromEntries(
        [
          'window',
          'document',
          'navigator',
          'location',
          'fetch',
          'FormData',
          'URLSearchParams',
          'PublicKeyCredential',
          'Blob',
          'URL',
          'Intl',
          'atob',
          'btoa',
        ].map((name) => [name, 'readonly']),
      ),
    },
  },
  {
    files: ['scripts/**', 'bench/**'],
    rules: { 'no-console': 'off' },
  },
);
