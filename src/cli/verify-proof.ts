import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { verifyStatementProof } from '../integrity/proof-verifier.js';
import type { StatementProofJson } from '../integrity/proof-verifier.js';

/**
 * `npm run verify-proof -- --proof proof.json --checkpoint <checkpoint hash>`: checks a statement
 * proof offline, against a checkpoint hash you trust (one you kept, or that your coordinators
 * published). The file holds the `statementProof` object, or the whole GraphQL answer.
 */
function main(): number {
  const { values } = parseArgs({ options: { proof: { type: 'string' }, checkpoint: { type: 'string' } } });
  if (!values.proof || !values.checkpoint) {
    console.error('usage: npm run verify-proof -- --proof <file.json> --checkpoint <trusted checkpoint hash>');
    return 2;
  }
  const json = JSON.parse(readFileSync(values.proof, 'utf8')) as { data?: { statementProof?: StatementProofJson } } & StatementProofJson;
  const proof = json.data?.statementProof ?? json;
  const verdict = verifyStatementProof(proof, values.checkpoint);
  if (verdict.valid) {
    console.log(`Valid: ${verdict.postings} postings of account ${proof.accountId} from version ${proof.fromVersion}, balance ${verdict.balance} after the last, are in checkpoint ${proof.checkpoint.sequence}.`);
    return 0;
  }
  console.log(`INVALID proof for account ${proof.accountId}:`);
  for (const problem of verdict.problems) console.log(`  - ${problem}`);
  return 1;
}

process.exitCode = main();
