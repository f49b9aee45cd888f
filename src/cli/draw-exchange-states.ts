import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseCommandLine, runCommand } from './command.js';
import { EXCHANGE_STATES_PAGE, withExchangeStateDiagram } from './exchange-state-diagram.js';

const COMMAND = {
  invocation: 'npm run docs:states --',
  summary: `Redraws the exchange state diagram in ${EXCHANGE_STATES_PAGE} from src/exchanges/exchange-states.ts.`,
  options: {},
} as const;

async function main(): Promise<void> {
  parseCommandLine(COMMAND);
  const page = resolve(EXCHANGE_STATES_PAGE);
  writeFileSync(page, withExchangeStateDiagram(readFileSync(page, 'utf8')));
  console.log(`Drew the exchange states in ${page}`);
}

await runCommand('docs:states', main);
