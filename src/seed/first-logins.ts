import { Logger } from '@nestjs/common';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** Where the one-time logins of a first start may be shown. */
export interface LoginsAudience {
  production: boolean;
  dataDir: string;
}

export const FIRST_LOGINS_FILE = 'first-logins.txt';

/**
 * Shows the logins the first start generated, once. Outside production they go to the log, where a
 * newcomer looks. A production log is shipped, indexed and kept: there they go to a file in
 * DATA_DIR that only this user can read, and the log says where.
 */
export function announceFirstLogins(
  audience: LoginsAudience,
  heading: string,
  logins: string[],
  logger = new Logger('Seed'),
): void {
  if (!audience.production) {
    logger.log(`${heading}, shown only now:\n${logins.join('\n')}`);
    return;
  }
  mkdirSync(resolve(audience.dataDir), { recursive: true });
  const file = resolve(audience.dataDir, FIRST_LOGINS_FILE);
  writeFileSync(file, `${heading}:\n${logins.join('\n')}\n`, { mode: 0o600 });
  logger.log(
    `${heading}: written to ${file} (readable by this user only), never to the log. Keep them safe, then delete the file.`,
  );
}
