import 'reflect-metadata';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig } from '../../libs/config/app-config.js';
import { createApp } from '../app.js';

/**
 * Writes the public contract, `schema.gql`, from the code-first resolvers (sorted, so diffs stay
 * stable). With --check it only compares and fails when the committed file is stale.
 * No database is needed.
 */
async function main(): Promise<void> {
  const committed = resolve('schema.gql');
  const check = process.argv.includes('--check');
  const target = check ? join(mkdtempSync(join(tmpdir(), 'pumasi-schema-')), 'schema.gql') : committed;
  const config = loadConfig({ DATABASE_URL: 'postgres://schema-only@127.0.0.1:1/none', MIGRATE_ON_START: 'false', LOG_LEVEL: 'error' });
  const app = await createApp(config, { schemaFile: target, connectDatabase: false });
  await app.close();
  if (!check) {
    console.log(`Wrote ${committed}`);
    return;
  }
  if (readFileSync(target, 'utf8') !== readFileSync(committed, 'utf8')) {
    console.error('schema.gql is out of date: run `npm run schema` and commit the result.');
    process.exit(1);
  }
  console.log('schema.gql is up to date.');
}

await main();
