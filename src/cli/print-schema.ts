import 'reflect-metadata';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig } from '../../libs/config/app-config.js';
import { createApp } from '../app.js';
import { parseCommandLine, runCommand } from './command.js';

const COMMAND = {
  invocation: 'npm run schema --',
  summary:
    'Writes the public contract, schema.gql, from the code-first resolvers (sorted, so diffs stay stable). No database is needed.',
  options: {
    check: {
      type: 'boolean',
      description: 'Only compare with the committed schema.gql; exit 1 when it is stale (npm run schema:check).',
    },
  },
} as const;

async function main(): Promise<number> {
  const committed = resolve('schema.gql');
  const check = parseCommandLine(COMMAND).check ?? false;
  const target = check ? join(mkdtempSync(join(tmpdir(), 'pumasi-schema-')), 'schema.gql') : committed;
  const config = loadConfig({
    DATABASE_URL: 'postgres://schema-only@127.0.0.1:1/none',
    MIGRATE_ON_START: 'false',
    LOG_LEVEL: 'error',
  });
  const app = await createApp(config, { schemaFile: target, connectDatabase: false });
  await app.close();
  if (!check) {
    console.log(`Wrote ${committed}`);
    return 0;
  }
  if (readFileSync(target, 'utf8') !== readFileSync(committed, 'utf8')) {
    console.error('schema.gql is out of date: run `npm run schema` and commit the result.');
    return 1;
  }
  console.log('schema.gql is up to date.');
  return 0;
}

await runCommand('schema', main);
