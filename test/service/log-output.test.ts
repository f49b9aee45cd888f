import { spawn } from 'node:child_process';
import { STANDARD_OUTPUT_BUFFER } from '../../libs/observability/logging.js';

/**
 * Production's log (JSON lines on standard output) is written a buffer at a time, not a write per
 * line (createRootLogger): a process that logs one line, says so on standard error, then does
 * `then`. What reached standard output, and how long after the line was logged.
 */
function logOneLine(then: 'stay' | 'exit'): Promise<{ lines: string[]; delayMs: number }> {
  const script = `
    import { createRootLogger } from './dist/libs/observability/logging.js';
    const logger = createRootLogger({ level: 'info', json: true });
    logger.info({ requestId: 'r-1' }, 'request completed');
    process.stderr.write('logged\\n');
    if (${JSON.stringify(then)} === 'exit') process.exit(3);
    setTimeout(() => undefined, 10_000);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((done, fail) => {
    let loggedAt = 0;
    let output = '';
    const silence = setTimeout(() => {
      child.kill();
      fail(new Error(`nothing on standard output within 8 s; logged: ${loggedAt > 0}`));
    }, 8_000);
    child.stderr.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('logged')) loggedAt = Date.now();
    });
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (!output.endsWith('\n')) return;
      clearTimeout(silence);
      child.kill();
      // Before `logged` reached the test, the line went out as it was logged.
      done({ lines: output.trim().split('\n'), delayMs: loggedAt ? Date.now() - loggedAt : 0 });
    });
    child.once('error', fail);
  });
}

describe("production's standard output log", () => {
  it('writes a line within the buffer’s period, not at once, and not never', async () => {
    const { lines, delayMs } = await logOneLine('stay');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({ level: 30, requestId: 'r-1', msg: 'request completed' });
    expect(delayMs).toBeGreaterThan(STANDARD_OUTPUT_BUFFER.periodicFlushMs / 4);
    expect(delayMs).toBeLessThan(STANDARD_OUTPUT_BUFFER.periodicFlushMs * 4);
  });

  it('writes what it holds before the process exits', async () => {
    const { lines } = await logOneLine('exit');
    expect(JSON.parse(lines[0])).toMatchObject({ msg: 'request completed' });
  });
});
