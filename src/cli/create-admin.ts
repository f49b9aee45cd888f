import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../libs/config/app-config.js';
import { createApp, createLogger } from '../app.js';
import { MembersService } from '../members/members.service.js';
import { CommandError, EXIT, parseCommandLine, runCommand, usageError } from './command.js';
import { openCommandDatabase } from './command-database.js';
import { DATABASE_ENVIRONMENT } from './environment.js';

const COMMAND = {
  invocation: 'npm run create-admin --',
  summary:
    "Makes a server admin (the first one, or any later one) on the service's database; it works while the server runs. " +
    'An existing member with that email is promoted and keeps their password.',
  options: {
    email: { type: 'string', valueName: 'email', description: "The admin's login email (required)." },
    name: { type: 'string', valueName: 'display name', description: 'Their display name (default "Administrator").' },
    create: {
      type: 'boolean',
      description:
        'Without DATABASE_URL, create the embedded database under DATA_DIR if it holds none (refused otherwise).',
    },
  },
  environment: {
    ...DATABASE_ENVIRONMENT,
    ADMIN_PASSWORD: "The new admin's password (at least 10 characters); unset: generated and printed once.",
  },
} as const;

async function main(): Promise<void> {
  const options = parseCommandLine(COMMAND);
  if (!options.email || !/^[^\s@]+@[^\s@]+$/.test(options.email))
    throw usageError(COMMAND, '--email <email> is required');
  const password = process.env.ADMIN_PASSWORD ?? randomBytes(12).toString('base64url');
  if (password.length < 10) throw new CommandError('ADMIN_PASSWORD must be at least 10 characters', EXIT.usage);
  const settings = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
  Logger.overrideLogger(createLogger(settings));
  const database = await openCommandDatabase(settings, { create: options.create ?? false });
  try {
    const app = await createApp(settings.withDatabaseUrl(database.url), { refusePrivilegedDatabaseUser: false });
    try {
      const { member, created } = await app
        .get(MembersService)
        .bootstrapAdmin(options.email, password, options.name ?? 'Administrator');
      if (!created)
        console.log(
          `${member.email} already existed: promoted to admin, password unchanged (on ${database.description}).`,
        );
      else
        console.log(
          `Admin created on ${database.description}: ${member.email}\nPassword: ${process.env.ADMIN_PASSWORD ? '(from ADMIN_PASSWORD)' : password}`,
        );
    } finally {
      await app.close();
    }
  } finally {
    await database.close();
  }
}

await runCommand('create-admin', main);
