import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '../../libs/config/app-config.js';
import { createApp, createLogger } from '../app.js';
import { startDatabase } from '../database.js';
import { MembersService } from '../members/members.service.js';

const USAGE = 'Usage: npm run create-admin -- --email <email> [--name <display name>]  (password: ADMIN_PASSWORD, or generated and printed)';

/**
 * `npm run create-admin`: makes the first server admin (or any later one) on DATABASE_URL or the
 * embedded database. An existing member with that email is promoted and keeps their password.
 */
async function main(): Promise<void> {
  const logger = new Logger('CreateAdmin');
  const { values } = parseArgs({ options: { email: { type: 'string' }, name: { type: 'string' } } });
  if (!values.email || !/^[^\s@]+@[^\s@]+$/.test(values.email)) {
    console.error(USAGE);
    process.exit(64); // EX_USAGE
  }
  const password = process.env.ADMIN_PASSWORD ?? randomBytes(12).toString('base64url');
  if (password.length < 10) {
    console.error('ADMIN_PASSWORD must be at least 10 characters');
    process.exit(64);
  }
  const settings = loadConfigOrExit({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
  Logger.overrideLogger(createLogger(settings));
  const { config, embedded } = await startDatabase(settings);
  const app = await createApp(config);
  try {
    const { member, created } = await app.get(MembersService).bootstrapAdmin(values.email, password, values.name ?? 'Administrator');
    if (!created) logger.warn(`${member.email} already existed: promoted to admin, password unchanged`);
    else console.log(`Admin created: ${member.email}\nPassword: ${process.env.ADMIN_PASSWORD ? '(from ADMIN_PASSWORD)' : password}`);
  } finally {
    await app.close();
    await embedded?.stop();
  }
}

await main();
