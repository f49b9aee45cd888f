import { Logger } from '@nestjs/common';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { announceFirstLogins, FIRST_LOGINS_FILE } from './first-logins.js';

describe('announceFirstLogins', () => {
  const logins = ['  admin       admin@mapo.example         s3cret-password'];

  const announce = (production: boolean): { logged: string; dataDir: string } => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pumasi-logins-'));
    const messages: string[] = [];
    const logger = { log: (message: string) => messages.push(message) } as unknown as Logger;
    announceFirstLogins({ production, dataDir }, 'Demo logins', logins, logger);
    return { logged: messages.join('\n'), dataDir };
  };

  it('shows them in the log outside production, where a newcomer looks', () => {
    expect(announce(false).logged).toContain('s3cret-password');
  });

  it('never writes them to a production log: they go to a file only this user may read, and the log says where', () => {
    const { logged, dataDir } = announce(true);
    const file = join(dataDir, FIRST_LOGINS_FILE);
    expect(logged).not.toContain('s3cret-password');
    expect(logged).toContain(file);
    expect(readFileSync(file, 'utf8')).toContain('s3cret-password');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});
