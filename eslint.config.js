// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      '.azle/',
      '.dfx/',
      '.localnet/',
      'dist/',
      'coverage/',
      'test-results/',
      'src/declarations/',
      'src/backend/canister/codecs.generated.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // The domain is pure TypeScript: storage and the IC system API are passed in, so it can
    // be tested with in-memory stores (StableBTreeMap silently misbehaves outside a canister).
    files: ['src/backend/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'azle', message: 'The domain must not import azle; pass storage in.' }],
          patterns: [
            { group: ['azle/*'], message: 'The domain must not import azle.' },
            {
              group: ['**/canister/**', '../canister/*'],
              message: 'The domain must not depend on the canister layer.',
            },
          ],
        },
      ],
    },
  },
  {
    // Imports flow one way in the app: pages → hooks → api → declarations.
    files: ['src/frontend/src/api/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/hooks/**', '**/pages/**', '**/components/**'],
              message: 'api must not import from the UI layers.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/frontend/src/hooks/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/pages/**', '**/components/**'],
              message: 'hooks must not import from pages or components.',
            },
            {
              group: ['**/declarations/**'],
              message: 'hooks talk to the backend through src/api only.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/frontend/src/{pages,components}/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/declarations/**'],
              message: 'UI code goes through hooks and api, never the raw bindings.',
            },
          ],
        },
      ],
    },
  },
  prettier,
);
