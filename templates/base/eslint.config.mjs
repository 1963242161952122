// ESLint (flat config) with typescript-eslint's recommended rules; formatting is Prettier's job.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['dist/', 'coverage/', 'src/generated/'] },
  js.configs.recommended,
  {
    // TypeScript's parser and rules for the Node side; miniprogram/ keeps ESLint's own parser (below)
    ignores: ['miniprogram/**'],
    extends: [tseslint.configs.recommended],
    // `_name`: a parameter a signature needs but the body does not use
    rules: { '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }] },
  },
  { files: ['**/*.ts', '**/*.mjs'], languageOptions: { globals: globals.node } },
  {
    files: ['**/*.cjs', 'jest.config.js'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The Mini Program runs on WeChat's JavaScript engine: CommonJS, ES2015 (no async/await, no object
    // spread, no ?., no trailing commas in calls) without DevTools' compile step, and WeChat's globals
    // instead of Node's. ESLint's own parser with ecmaVersion 2015 refuses anything newer.
    files: ['miniprogram/**/*.js'],
    languageOptions: {
      ecmaVersion: 2015,
      sourceType: 'commonjs',
      globals: {
        ...globals.commonjs,
        wx: 'readonly',
        App: 'readonly',
        Page: 'readonly',
        Component: 'readonly',
        getApp: 'readonly',
        getCurrentPages: 'readonly',
        console: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
      },
    },
    // ES2015 has no `catch {}` without a binding
    rules: { 'no-unused-vars': ['error', { caughtErrors: 'none' }] },
  },
);
