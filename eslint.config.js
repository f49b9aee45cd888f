// ESLint for Pumasi: the TypeScript is linted with type information (tsconfig.json covers src, libs,
// migrations and test), so the rules that catch real bugs can see promises and `any`. Formatting is
// Prettier's alone: eslint-config-prettier comes last and turns off every rule it would fight.
import js from '@eslint/js';
import graphql from '@graphql-eslint/eslint-plugin';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// `x == null` is the one loose comparison allowed: it means null or undefined, on purpose.
const eqeqeq = ['error', 'always', { null: 'ignore' }];

export default defineConfig(
  {
    ignores: [
      'dist/',
      'coverage/',
      '.ci/out/',
      '.data/',
      '.scratch/',
      'test/contract/generated/',
      'web/dist/',
      'web/src/graphql/generated.ts',
    ],
  },
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
    // The web app (web/) is linted as the server is, with its own tsconfig (DOM, JSX), found by the project service.
    files: ['**/*.ts', '**/*.tsx'],
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
    // The web app's components: React's rules of hooks, and the dependencies its effects and memos declare.
    files: ['web/**/*.tsx', 'web/**/*.ts'],
    extends: [reactHooks.configs.flat.recommended],
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
  {
    // The public contract as partners read it (and GraphiQL's docs): the generated schema.gql, linted
    // with rules it passes, so that a new type, field or argument without a description fails CI.
    files: ['schema.gql'],
    languageOptions: { parser: graphql.parser, parserOptions: { graphQLConfig: { schema: 'schema.gql' } } },
    plugins: { '@graphql-eslint': graphql },
    rules: {
      // Partners code against the schema's own words: every type, field, argument, input field, enum
      // value, scalar and root field says what its name does not.
      '@graphql-eslint/require-description': [
        'error',
        {
          types: true,
          rootField: true,
          FieldDefinition: true,
          InputValueDefinition: true,
          EnumValueDefinition: true,
          DirectiveDefinition: true,
        },
      ],
      // A deprecation names its replacement and its removal date (CHANGELOG.md); an empty reason says neither.
      '@graphql-eslint/require-deprecation-reason': 'error',
      // Descriptions, not `#` comments, reach introspection and generated clients.
      '@graphql-eslint/no-hashtag-description': 'error',
      // One style of description: graphql-js prints block strings, and a hand-written SDL fragment should too.
      '@graphql-eslint/description-style': ['error', { style: 'block' }],
      // The names partners see follow GraphQL's conventions (the recommended set: PascalCase types,
      // camelCase fields and arguments, UPPER_CASE enum values, no get/query/mutation/Type/Enum affixes).
      '@graphql-eslint/naming-convention': [
        'error',
        graphql.configs['flat/schema-recommended'].rules['@graphql-eslint/naming-convention'][1],
      ],
      // A type no field leads to is dead weight in the contract, or a forgotten field.
      '@graphql-eslint/no-unreachable-types': 'error',
      // `Account.accountId` says nothing `Account.id` does not. `Member.memberships` is the one known
      // exception, published in 0.1.0 and kept: it is in eslint-suppressions.json, so a second one fails.
      '@graphql-eslint/no-typename-prefix': 'error',
      '@graphql-eslint/unique-enum-value-names': 'error',
      // Our pages are Relay cursor connections (libs/graphql/pagination.ts): keep every one of them so.
      '@graphql-eslint/relay-page-info': 'error',
      '@graphql-eslint/relay-connection-types': 'error',
      // Lists of plain objects (Session, Review, a payload's userErrors) are not pages, and there is no
      // `Node` interface yet (ids are being reworked): edges are checked for their shape only.
      '@graphql-eslint/relay-edge-types': ['error', { listTypeCanWrapOnlyEdgeType: false, shouldImplementNode: false }],
      // Forward pagination (`first`, `after`) is what every connection offers; none pages backward.
      // `AccountStatement.lines` is paged by `accountStatement`'s own arguments, published in 0.1.0: it
      // is in eslint-suppressions.json, so a second connection without arguments fails.
      '@graphql-eslint/relay-arguments': ['error', { includeBoth: false }],
      // Off: `id` fields are being reworked into global ids on another branch; today connections, edges
      // and payloads have none by design, and several models name theirs by purpose. Revisit after that.
      '@graphql-eslint/strict-id-in-types': 'off',
      // Off: it wants `@deprecated(deletionDate: "DD/MM/YYYY")`, an argument the built-in directive does
      // not have and Nest cannot emit. Our reasons say "Removed on or after YYYY-MM-DD", and
      // `npm run schema:breaking` checks each deprecation is in CHANGELOG.md.
      '@graphql-eslint/require-deprecation-date': 'off',
      // Off: the schema is printed sorted (sortSchema), which is the order that matters for diffs.
      '@graphql-eslint/alphabetize': 'off',
      // Off: eleven published mutations take plain arguments rather than one `input` (`logout(everywhere:)`,
      // `revokeSession(sessionId:)`, `joinCommunity(communityId:)`…) and five of them return a Boolean or an
      // Int; rewrapping them would break partners. New mutations take `input:` and return a payload.
      '@graphql-eslint/input-name': 'off',
      '@graphql-eslint/no-scalar-result-type-on-mutation': 'off',
      // Off: payloads are non-null by design (a refusal is `userErrors`, not a null), and carry no `query` field.
      '@graphql-eslint/require-nullable-result-in-root': 'off',
      '@graphql-eslint/require-field-of-type-query-in-mutation-result': 'off',
    },
  },
  prettier,
);
