// ESLint for Pumasi: the TypeScript is linted with type information (tsconfig.json covers src, libs,
// migrations and test), so the rules that catch real bugs can see promises and `any`. Formatting is
// Prettier's alone: eslint-config-prettier comes last and turns off every rule it would fight.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// `x == null` is the one loose comparison allowed: it means null or undefined, on purpose.
const eqeqeq = ['error', 'always', { null: 'ignore' }];

export default defineConfig(
  { ignores: ['dist/', 'coverage/', '.ci/out/', '.data/', '.scratch/', 'test/contract/generated/'] },
  {
    // The scripts under test/ (bench, fuzz, smoke, Jest's global setup) and this file: plain Node ESM.
    files: ['**/*.js', '**/*.mjs'],
    extends: [js.configs.recommended],
    languageOptions: { globals: globals.node },
    rules: { eqeqeq },
  },
  {
    files: ['**/*.cjs'],
    extends: [js.configs.recommended],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
    rules: { eqeqeq },
  },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      eqeqeq,
      // Named explicitly (most are in recommendedTypeChecked too): these are the ones this config is for.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // A Promise.all over values some of which are promises is fine (a statement's line views are sync or async).
      '@typescript-eslint/await-thenable': ['error', { allowMixedPromiseArrays: true }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unsafe-assignment': 'error',
      '@typescript-eslint/no-unsafe-call': 'error',
      '@typescript-eslint/no-unsafe-member-access': 'error',
      '@typescript-eslint/no-unsafe-return': 'error',
      '@typescript-eslint/no-unsafe-argument': 'error',
      // As TypeScript's noUnused* checks: a leading underscore marks a name left unused on purpose
      // (a property dropped from a rest object, a loop variable only counted).
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
      // Off: an `async` function without `await` is how this code meets interfaces that want a
      // promise (Apollo plugin hooks, TypeORM's MigrationInterface.down, CommandDatabase.close), and
      // it turns a throw into a rejection. The promise bugs are no-floating-promises' and
      // no-misused-promises' to catch.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // The tests' plumbing is untyped by nature: GraphQL answers are read as `Record<string, any>`,
    // raw `pg` rows come back as `any`, and Jest's asymmetric matchers (`expect.any(String)`) are
    // typed `any`; the unit tests beside the code (*.spec.ts) use the same matchers. The promise
    // rules stay on here; the `any` family is for production code.
    files: ['test/**/*.ts', '**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  prettier,
);
