// ESLint flat config for the whole repository (`npm run lint`, i.e. `eslint .`).
//
// - Every .ts/.tsx file gets typescript-eslint's recommended rules.
// - Node-side TypeScript (server/, bench/, e2e/, vitest.config.ts) is also linted with type
//   information from server/tsconfig.json, for the few type-aware rules that catch real bugs
//   (un-awaited promises above all). The web is linted without types to keep the run fast.
// - web/**/*.tsx gets the React hooks rules.
import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';
import { defineConfig } from 'eslint/config';

const nodeTypeScript = ['server/**/*.ts', 'bench/**/*.ts', 'e2e/**/*.ts', 'vitest.config.ts'];

export default defineConfig(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      'data/**',
      '**/test-results/**',
      '**/coverage/**',
      '.tmp/**',
      'bench/results/**',
      'web/**/*.d.ts',
    ],
  },
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },

  js.configs.recommended,
  tseslint.configs.recommended,

  // Rules for every file.
  {
    rules: {
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-console': 'error',
      'no-var': 'error',
      'prefer-const': 'error',
      'no-self-compare': 'error',
      'no-template-curly-in-string': 'error',
      'no-unmodified-loop-condition': 'error',
      'no-unused-vars': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
    },
  },

  // Node: server, bench, e2e, tooling scripts.
  {
    files: [...nodeTypeScript, '**/*.{js,mjs,cjs}', 'web/vite.config.ts'],
    languageOptions: { globals: { ...globals.node } },
  },

  // Node TypeScript, type-aware.
  {
    files: nodeTypeScript,
    languageOptions: {
      parserOptions: {
        project: ['./server/tsconfig.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/await-thenable': 'error',
    },
  },

  // Browser: the React web app.
  {
    files: ['web/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['web/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },

  // Where printing to the terminal is the point.
  {
    files: ['server/src/main.ts', 'server/src/cli.ts', 'bench/**', 'bin/**', 'scripts/**'],
    rules: { 'no-console': 'off' },
  },
);
