// `npm run schema:breaking`: what schema.gql promises partners, checked against the last release.
//
// - The last release is the highest version under schema/releases/ (<version>.gql, the schema.gql
//   of that release, added when it is cut). Every change graphql-inspector calls breaking since
//   then, and every field, argument or value deprecated since then, must be declared in the
//   "Unreleased" section of CHANGELOG.md, by its path in backticks: `CommunityPayload.userErrors`.
// - Every deprecation says when it goes: "Removed on or after YYYY-MM-DD." in its reason.
// - Every custom scalar names its specification (@specifiedBy), so clients need not guess.
import { CriticalityLevel, diff } from '@graphql-inspector/core';
import {
  buildSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isScalarType,
  isSpecifiedScalarType,
} from 'graphql';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const RELEASES = join(root, 'schema', 'releases');
const CHANGELOG = join(root, 'CHANGELOG.md');
const REMOVAL_DATE = /Removed on or after (\d{4}-\d{2}-\d{2})\./;

const loadSchema = (file) => buildSchema(readFileSync(file, 'utf8'));

/** The highest x.y.z among schema/releases/x.y.z.gql. */
function lastRelease() {
  const versions = readdirSync(RELEASES)
    .map((file) => /^(\d+)\.(\d+)\.(\d+)\.gql$/.exec(file))
    .filter(Boolean)
    .map((match) => ({ file: join(RELEASES, match[0]), parts: match.slice(1, 4).map(Number) }));
  if (versions.length === 0) throw new Error(`no released schema in ${relative(root, RELEASES)}`);
  versions.sort((a, b) => a.parts[0] - b.parts[0] || a.parts[1] - b.parts[1] || a.parts[2] - b.parts[2]);
  const last = versions.at(-1);
  return { version: last.parts.join('.'), file: last.file };
}

/** Every code span of the changelog's "Unreleased" section: where a change is declared by its path. */
function declaredPaths() {
  const text = readFileSync(CHANGELOG, 'utf8');
  const start = text.search(/^## Unreleased\b/m);
  if (start < 0) throw new Error('CHANGELOG.md has no "## Unreleased" section');
  const rest = text.slice(start + 1);
  const end = rest.search(/^## /m);
  const section = end < 0 ? rest : rest.slice(0, end);
  return new Set([...section.matchAll(/`([^`]+)`/g)].map((match) => match[1]));
}

/** Each deprecated field, argument, input field and enum value, by path, with its reason. */
function deprecations(schema) {
  const found = new Map();
  const note = (path, reason) => reason != null && found.set(path, reason);
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        note(`${type.name}.${field.name}`, field.deprecationReason);
        for (const arg of field.args) note(`${type.name}.${field.name}.${arg.name}`, arg.deprecationReason);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) note(`${type.name}.${field.name}`, field.deprecationReason);
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) note(`${type.name}.${value.name}`, value.deprecationReason);
    }
  }
  return found;
}

const isRealDate = (text) => {
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
};

async function main() {
  const release = lastRelease();
  const released = loadSchema(release.file);
  const current = loadSchema(join(root, 'schema.gql'));
  const declared = declaredPaths();
  const changes = await diff(released, current);
  const breaking = changes.filter((change) => change.criticality.level === CriticalityLevel.Breaking);
  const dangerous = changes.filter((change) => change.criticality.level === CriticalityLevel.Dangerous);
  const wasDeprecated = deprecations(released);
  const deprecated = deprecations(current);
  const newlyDeprecated = [...deprecated.keys()].filter((path) => !wasDeprecated.has(path));

  const problems = [];
  const undeclared = breaking.filter((change) => !declared.has(change.path));
  if (undeclared.length > 0) {
    problems.push(
      `Breaking changes since ${release.version} not declared in CHANGELOG.md (name each under "## Unreleased"):`,
      ...undeclared.map((change) => `  - \`${change.path}\`: ${change.message}`),
    );
  }
  const undeclaredDeprecations = newlyDeprecated.filter((path) => !declared.has(path));
  if (undeclaredDeprecations.length > 0) {
    problems.push(
      `Deprecations since ${release.version} not declared in CHANGELOG.md (name each under "## Unreleased"):`,
      ...undeclaredDeprecations.map((path) => `  - \`${path}\``),
    );
  }
  const undated = [...deprecated].filter(([, reason]) => !isRealDate(REMOVAL_DATE.exec(reason)?.[1] ?? ''));
  if (undated.length > 0) {
    problems.push(
      'Deprecations whose reason does not end with its removal date ("Removed on or after YYYY-MM-DD."):',
      ...undated.map(([path, reason]) => `  - ${path}: "${reason}"`),
    );
  }
  const unspecified = Object.values(current.getTypeMap()).filter(
    (type) => isScalarType(type) && !isSpecifiedScalarType(type) && !type.specifiedByURL,
  );
  if (unspecified.length > 0) {
    problems.push(
      'Custom scalars without @specifiedBy (specifiedByURL in libs/graphql/scalars.ts):',
      ...unspecified.map((type) => `  - ${type.name}`),
    );
  }

  const against = `the ${release.version} release (${relative(root, release.file)})`;
  if (problems.length > 0) {
    console.error(`schema.gql, against ${against}:\n${problems.join('\n')}`);
    return 1;
  }
  console.log(
    `schema.gql, against ${against}: ${breaking.length} breaking change(s) and ${newlyDeprecated.length} new ` +
      `deprecation(s), each declared in CHANGELOG.md; ${deprecated.size} deprecation(s), each with its removal date.`,
  );
  // Not failures, but worth a look in review: clients with an exhaustive switch over an enum notice these.
  for (const change of dangerous) console.log(`  dangerous: ${change.message}`);
  return 0;
}

try {
  process.exitCode = await main();
} catch (error) {
  // A schema that does not parse, a missing release or changelog section: one line, no stack.
  console.error(`schema:breaking: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
