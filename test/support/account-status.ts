import { DataSource } from 'typeorm';
import { returnedRows } from '../../libs/database/returned-rows.js';
import { AccountStatus } from '../../src/ledger/models/ledger-enums.js';

/**
 * Test-only: puts an account in any status by SQL, past the rules of `LedgerService.changeAccountStatus`
 * (which never reopens a closed account nor closes an unsettled one). For tests of how the ledger's
 * own SQL functions treat frozen and closed accounts, not of who may change a status.
 * Returns the status the account had before.
 */
export async function forceAccountStatus(
  dataSource: DataSource,
  accountId: string,
  status: AccountStatus,
): Promise<AccountStatus> {
  const rows = returnedRows<{ previous: AccountStatus }>(
    await dataSource.query(
      `UPDATE accounts SET status = $2 FROM (SELECT id, status AS previous FROM accounts WHERE id = $1 FOR UPDATE) before
      WHERE accounts.id = before.id RETURNING before.previous`,
      [accountId, status],
    ),
  );
  if (rows.length !== 1) throw new Error(`no account ${accountId}`);
  return rows[0].previous;
}

/** Runs `body` while the account is in `status`, then puts back the status it had, whatever `body` did. */
export async function withAccountStatus<T>(
  dataSource: DataSource,
  accountId: string,
  status: AccountStatus,
  body: () => Promise<T>,
): Promise<T> {
  const previous = await forceAccountStatus(dataSource, accountId, status);
  try {
    return await body();
  } finally {
    await forceAccountStatus(dataSource, accountId, previous);
  }
}
