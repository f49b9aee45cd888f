import { CsvColumn, spreadsheetSafe } from './csv.js';
import { BalanceLine, StatementLine } from './models/report.models.js';
import type { TransferRecord } from './reports.repository.js';

/** Enum values as the GraphQL schema names them (DIRECT, POST_PENDING, MEMBER), so that a file reads like the API. */
const enumName = (value: string): string => value.toUpperCase();

/** The fields of accountStatement's lines, in the same units: amounts in minor units, instants in ISO 8601 UTC. */
export const STATEMENT_COLUMNS: CsvColumn<StatementLine>[] = [
  { header: 'account_id', value: (line) => line.accountId },
  { header: 'posting_id', value: (line) => line.postingId },
  { header: 'transfer_id', value: (line) => line.transferId },
  { header: 'created_at', value: (line) => line.createdAt },
  { header: 'transfer_kind', value: (line) => enumName(line.transferKind) },
  { header: 'code', value: (line) => line.code },
  { header: 'memo', value: (line) => spreadsheetSafe(line.memo) },
  { header: 'counterparty_account_id', value: (line) => line.counterpartyAccountId },
  { header: 'amount', value: (line) => line.amount },
  { header: 'balance_after', value: (line) => line.balanceAfter },
  { header: 'account_version', value: (line) => line.accountVersion },
];

/** The fields of balanceReport's lines, with each line's currency since the file holds every currency of the community. */
export const BALANCE_COLUMNS: CsvColumn<BalanceLine>[] = [
  { header: 'currency', value: (line) => line.currencyCode },
  { header: 'account_id', value: (line) => line.accountId },
  { header: 'kind', value: (line) => enumName(line.kind) },
  { header: 'name', value: (line) => spreadsheetSafe(line.name) },
  { header: 'member_id', value: (line) => line.memberId },
  {
    header: 'member_display_name',
    value: (line) => (line.memberDisplayName === null ? null : spreadsheetSafe(line.memberDisplayName)),
  },
  { header: 'debits', value: (line) => line.debits },
  { header: 'credits', value: (line) => line.credits },
  { header: 'balance', value: (line) => line.balance },
];

/** The fields of the ledger's Transfer, as the `transfers` query gives them. */
export const TRANSFER_COLUMNS: CsvColumn<TransferRecord>[] = [
  { header: 'transfer_id', value: (transfer) => transfer.id },
  { header: 'created_at', value: (transfer) => transfer.createdAt },
  { header: 'kind', value: (transfer) => enumName(transfer.kind) },
  { header: 'code', value: (transfer) => transfer.code },
  { header: 'memo', value: (transfer) => spreadsheetSafe(transfer.memo) },
  { header: 'currency', value: (transfer) => transfer.currencyCode },
  { header: 'amount', value: (transfer) => transfer.amount },
  { header: 'debit_account_id', value: (transfer) => transfer.debitAccountId },
  { header: 'credit_account_id', value: (transfer) => transfer.creditAccountId },
  { header: 'pending_transfer_id', value: (transfer) => transfer.pendingTransferId },
  { header: 'reverses_transfer_id', value: (transfer) => transfer.reversesTransferId },
];

/** A file name that says what the file holds: ASCII only, and no characters a file system or a header would object to. */
export function exportFilename(parts: (string | Date | null)[]): string {
  const words = parts
    .filter((part) => part !== null)
    .map((part) => (part instanceof Date ? part.toISOString().replace(/[:.]/g, '') : part));
  return `${words.join('_').replace(/[^A-Za-z0-9_-]/g, '-')}.csv`;
}
