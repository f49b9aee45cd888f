import { readFileSync } from 'node:fs';
import { verifyStatementProof } from '../integrity/proof-verifier.js';
import type { StatementProofJson } from '../integrity/proof-verifier.js';
import { CommandError, parseCommandLine, runCommand, usageError } from './command.js';

const COMMAND = {
  invocation: 'npm run verify-proof --',
  summary:
    'Checks a statement proof offline, against a checkpoint hash you trust (one you kept, or that your coordinators published). ' +
    'The file holds the statementProof object, or the whole GraphQL answer. Exit code 0: valid; 1: invalid or unreadable.',
  options: {
    proof: { type: 'string', valueName: 'file.json', description: 'The saved proof (required).' },
    checkpoint: { type: 'string', valueName: 'hash', description: 'The trusted checkpoint hash (required).' },
  },
} as const;

/** The proof in a file: the statementProof object, or a GraphQL answer holding one; anything else is a plain error. */
function readProof(file: string): StatementProofJson {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CommandError(`cannot read ${file} as JSON: ${(error as Error).message}`);
  }
  const answer = json as { data?: { statementProof?: unknown }; errors?: { message?: string }[] } | null;
  if (Array.isArray(answer?.errors) && !answer.data?.statementProof) {
    throw new CommandError(
      `${file} holds a GraphQL error answer, not a proof: ${answer.errors.map((error) => error.message).join('; ')}`,
    );
  }
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- needed: `unknown ?? x` is unknown
  const proof = (answer?.data?.statementProof ?? answer) as Partial<StatementProofJson> | null;
  if (!proof || typeof proof !== 'object' || !proof.checkpoint || !Array.isArray(proof.entries)) {
    throw new CommandError(
      `${file} holds no statement proof: expected the statementProof object (with checkpoint and entries) or the GraphQL answer holding it`,
    );
  }
  return proof as StatementProofJson;
}

async function main(): Promise<number> {
  const options = parseCommandLine(COMMAND);
  if (!options.proof || !options.checkpoint)
    throw usageError(COMMAND, '--proof <file.json> and --checkpoint <hash> are required');
  const proof = readProof(options.proof);
  const verdict = verifyStatementProof(proof, options.checkpoint);
  if (verdict.valid) {
    console.log(
      `Valid: ${verdict.postings} postings of account ${proof.accountId} from version ${proof.fromVersion}, balance ${verdict.balance} after the last, are in checkpoint ${proof.checkpoint.sequence}.`,
    );
    return 0;
  }
  console.log(`INVALID proof for account ${proof.accountId}:`);
  for (const problem of verdict.problems) console.log(`  - ${problem}`);
  return 1;
}

await runCommand('verify-proof', main);
