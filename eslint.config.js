import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

export default ts.config(
  {
    ignores: [
      'build/',
      '.svelte-kit/',
      'node_modules/',
      '.tools/',
      '.wrangler/',
      'static/',
      'test-results/',
      'playwright-report/'
    ]
  },
  js.configs.recommended,
  ...ts.configs.recommendedTypeChecked,
  ...svelte.configs.recommended,
  prettier,
  ...svelte.configs.prettier,
  {
    languageOptions: {
      globals: { ...globals.browser, ...globals.node },
      parserOptions: {
        // Typed linting (for no-floating-promises) with each file's own tsconfig: app, worker, scripts.
        projectService: {
          allowDefaultProject: ['*.js', 'scripts/*.mjs', 'app/service-worker.ts'],
          // The service worker is outside the app's tsconfig (Kit excludes it): it has its own.
          defaultProject: 'tsconfig.sw.json'
        },
        tsconfigRootDir: import.meta.dirname,
        extraFileExtensions: ['.svelte']
      }
    }
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser, svelteConfig } }
  },
  {
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }]
    }
  },
  {
    // Plain JS entry points run before dependencies exist; they are not type-checked.
    files: ['**/*.js', '**/*.mjs'],
    ...ts.configs.disableTypeChecked
  }
);
