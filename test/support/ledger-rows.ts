import { DataSource } from 'typeorm';
import { TransferErrorCode } from '../../src/ledger/ledger.errors.js';
import { CreateTransferPayload, Transfer } from '../../src/ledger/models/ledger.models.js';

export interface RowsForKeys {
  transfers: number;
  failures: number;
}

/** What the ledger stored under these idempotency keys: "leaves nothing behind" means both are 0. */
export async function rowsForKeys(dataSource: DataSource, keys: string[]): Promise<RowsForKeys> {
  const [row] = await dataSource.query(
    `SELECT (SELECT count(*)::int FROM transfers WHERE idempotency_key = ANY($1)) AS transfers,
            (SELECT count(*)::int FROM transfer_failures WHERE idempotency_key = ANY($1)) AS failures`,
    [keys],
  );
  return row;
}

export function errorCodes(payload: CreateTransferPayload): TransferErrorCode[] {
  return payload.userErrors.map((error) => error.code);
}

/** The transfer of a payload that must have succeeded. */
export function made(payload: CreateTransferPayload): Transfer {
  expect(payload.userErrors).toEqual([]);
  return payload.transfer!;
}
