import { GraphqlClient, TestApp } from '../support/test-app.js';
import { gql, PAGE_INFO, PageView } from './graphql-client.js';
import { rowId } from '../support/global-ids.js';

/** CSV exports carry database ids (CHANGELOG 0.2.0): the row an API id names, or null. */
const nullableRowId = (id: string | null): string | null => (id === null ? null : rowId(id));

/** What the report and export tests ask for and get back, and how they read a CSV file. */

export const BALANCE_LINE_FIELDS = 'accountId kind name memberId memberDisplayName debits credits balance';
export const KIND_FIELDS = 'kind accountCount debits credits balance positiveBalances negativeBalances accountsInDebt';
export const BALANCE_REPORT = `query BalanceReport($communityId: ID!, $asOf: DateTime, $first: Int, $after: String) {
  balanceReport(communityId: $communityId, asOf: $asOf) {
    communityId asOf
    currencies {
      currency { id code } asOf accountCount totalDebits totalCredits totalBalance balanced byKind { ${KIND_FIELDS} }
      lines(first: $first, after: $after) { edges { cursor node { ${BALANCE_LINE_FIELDS} } } ${PAGE_INFO} }
    }
  }
}`;

export const STATEMENT_LINE_FIELDS =
  'postingId transferId transferKind counterpartyAccountId code memo amount balanceAfter accountVersion createdAt';
export const ACCOUNT_STATEMENT = `query AccountStatement($accountId: ID!, $from: DateTime, $to: DateTime, $first: Int, $after: String) {
  accountStatement(accountId: $accountId, from: $from, to: $to, first: $first, after: $after) {
    account { id kind balance } from to openingBalance closingBalance debits credits lineCount
    lines { edges { cursor node { ${STATEMENT_LINE_FIELDS} } } ${PAGE_INFO} }
  }
}`;

export const REQUEST_EXPORT =
  'mutation RequestExport($input: RequestExportInput!) { requestExport(input: $input) { url expiresAt kind filename } }';

export interface BalanceLineView {
  accountId: string;
  kind: string;
  name: string;
  memberId: string | null;
  memberDisplayName: string | null;
  debits: string;
  credits: string;
  balance: string;
}

export interface KindView {
  kind: string;
  accountCount: number;
  debits: string;
  credits: string;
  balance: string;
  positiveBalances: string;
  negativeBalances: string;
  accountsInDebt: number;
}

export interface CurrencyReportView {
  currency: { id: string; code: string };
  asOf: string;
  accountCount: number;
  totalDebits: string;
  totalCredits: string;
  totalBalance: string;
  balanced: boolean;
  byKind: KindView[];
  lines: PageView<BalanceLineView>;
}

export interface BalanceReportView {
  communityId: string;
  asOf: string;
  currencies: CurrencyReportView[];
}

export interface StatementLineView {
  postingId: string;
  transferId: string;
  transferKind: string;
  counterpartyAccountId: string | null;
  code: string;
  memo: string;
  amount: string;
  balanceAfter: string;
  accountVersion: string;
  createdAt: string;
}

export interface StatementView {
  account: { id: string; kind: string; balance: string };
  from: string | null;
  to: string;
  openingBalance: string;
  closingBalance: string;
  debits: string;
  credits: string;
  lineCount: number;
  lines: PageView<StatementLineView>;
}

export interface ExportLinkView {
  url: string;
  expiresAt: string;
  kind: string;
  filename: string;
}

/** One page of a community's balance report (its one currency), with `first` lines after `after`. */
export async function balanceReportPage(
  client: GraphqlClient,
  communityId: string,
  variables: { asOf?: Date; first?: number; after?: string | null } = {},
): Promise<BalanceReportView> {
  const { asOf, ...page } = variables;
  return (
    await gql<{ balanceReport: BalanceReportView }>(client, BALANCE_REPORT, {
      communityId,
      asOf: asOf?.toISOString(),
      ...page,
    })
  ).balanceReport;
}

/** The whole report: every page of lines, read 100 at a time. */
export async function balanceReport(
  client: GraphqlClient,
  communityId: string,
  asOf?: Date,
): Promise<{ report: CurrencyReportView; lines: BalanceLineView[] }> {
  const lines: BalanceLineView[] = [];
  let after: string | null = null;
  let report: CurrencyReportView;
  do {
    [report] = (await balanceReportPage(client, communityId, { asOf, first: 100, after })).currencies;
    lines.push(...report.lines.edges.map(({ node }) => node));
    after = report.lines.pageInfo.hasNextPage ? report.lines.pageInfo.endCursor : null;
  } while (after);
  return { report, lines };
}

/** The whole statement: every page of lines, read 100 at a time. */
export async function accountStatement(
  client: GraphqlClient,
  accountId: string,
  period: { from?: Date; to?: Date } = {},
): Promise<{ statement: StatementView; lines: StatementLineView[] }> {
  const lines: StatementLineView[] = [];
  let after: string | null = null;
  let statement: StatementView;
  do {
    statement = (
      await gql<{ accountStatement: StatementView }>(client, ACCOUNT_STATEMENT, {
        accountId,
        from: period.from?.toISOString(),
        to: period.to?.toISOString(),
        first: 100,
        after,
      })
    ).accountStatement;
    lines.push(...statement.lines.edges.map(({ node }) => node));
    after = statement.lines.pageInfo.hasNextPage ? statement.lines.pageInfo.endCursor : null;
  } while (after);
  return { statement, lines };
}

export async function requestExport(client: GraphqlClient, input: Record<string, unknown>): Promise<ExportLinkView> {
  return (await gql<{ requestExport: ExportLinkView }>(client, REQUEST_EXPORT, { input })).requestExport;
}

export interface Download {
  status: number;
  contentType: string | null;
  disposition: string | null;
  text: string;
}

/** GETs a link as a browser would: no credentials, the link is the credential. */
export async function download(url: string): Promise<Download> {
  const response = await fetch(url);
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    disposition: response.headers.get('content-disposition'),
    text: await response.text(),
  };
}

/** Requests an export and downloads it, which must succeed; its rows keyed by the header. */
export async function exported(
  client: GraphqlClient,
  input: Record<string, unknown>,
): Promise<Record<string, string>[]> {
  const file = await download((await requestExport(client, input)).url);
  expect({ status: file.status, contentType: file.contentType }).toEqual({
    status: 200,
    contentType: 'text/csv; charset=utf-8',
  });
  return csvRecords(file.text);
}

/**
 * A strict RFC 4180 reader (CRLF rows, quoted fields with doubled quotes and line breaks), written
 * apart from the server's writer so that the two check each other.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') {
      if (field !== '') throw new Error(`a quote inside an unquoted field at ${index}`);
      quoted = true;
    } else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\r' && text[index + 1] === '\n') {
      rows.push([...row, field]);
      row = [];
      field = '';
      index++;
    } else if (char === '\n' || char === '\r') throw new Error(`a bare line break outside quotes at ${index}`);
    else field += char;
  }
  if (quoted || field !== '' || row.length > 0) throw new Error('the file does not end with CRLF after its last row');
  return rows;
}

/** Rows as objects keyed by the header row; every row must have as many fields as the header. */
export function csvRecords(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  for (const row of rows) expect(row).toHaveLength(header.length);
  return rows.map((row) => Object.fromEntries(header.map((name, index) => [name, row[index]])));
}

/** The database's clock, which stamps postings: the boundaries of the tests' periods come from it. */
export async function databaseNow(t: TestApp): Promise<Date> {
  const [row] = await t.dataSource.query('SELECT clock_timestamp() AS now');
  return row.now as Date;
}

/** A boundary strictly between what was written before and what is written after: the database's now, then a pause past its millisecond. */
export async function boundary(t: TestApp): Promise<Date> {
  const instant = await databaseNow(t);
  await new Promise((done) => setTimeout(done, 5));
  return new Date(instant.getTime() + 1);
}

/** The instant before `instant`, to the millisecond: a balance as of it counts exactly the postings before `instant`. */
export const millisecondBefore = (instant: Date | string): Date => new Date(new Date(instant).getTime() - 1);

/** How the CSV files write GraphQL values: nulls empty, everything else as the API gives it. */
export const csvText = (value: string | number | null): string => (value === null ? '' : String(value));

/** Text a person typed, as the files write it: a leading = + - @ tab or CR (a spreadsheet formula) gets an apostrophe. */
const spreadsheetText = (text: string | null): string =>
  text === null ? '' : /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;

/** A statement line as the STATEMENT export must write it. */
export function statementCsvRow(accountId: string, line: StatementLineView): Record<string, string> {
  return {
    account_id: rowId(accountId),
    posting_id: rowId(line.postingId),
    transfer_id: rowId(line.transferId),
    created_at: line.createdAt,
    transfer_kind: line.transferKind,
    code: line.code,
    memo: spreadsheetText(line.memo),
    counterparty_account_id: csvText(nullableRowId(line.counterpartyAccountId)),
    amount: line.amount,
    balance_after: line.balanceAfter,
    account_version: line.accountVersion,
  };
}

/** A balance line as the BALANCES export must write it. */
export function balanceCsvRow(currencyCode: string, line: BalanceLineView): Record<string, string> {
  return {
    currency: currencyCode,
    account_id: rowId(line.accountId),
    kind: line.kind,
    name: spreadsheetText(line.name),
    member_id: csvText(nullableRowId(line.memberId)),
    member_display_name: spreadsheetText(line.memberDisplayName),
    debits: line.debits,
    credits: line.credits,
    balance: line.balance,
  };
}

export const TRANSFER_FIELDS_FOR_EXPORT =
  'id createdAt kind code memo amount debitAccountId creditAccountId pendingTransferId reversesTransferId';
export const TRANSFERS_PAGE = `query Transfers($currencyId: ID!, $from: DateTime, $to: DateTime, $after: String) {
  transfers(currencyId: $currencyId, from: $from, to: $to, first: 50, after: $after) { edges { node { ${TRANSFER_FIELDS_FOR_EXPORT} } } pageInfo { hasNextPage endCursor } }
}`;

export interface ExportedTransferView {
  id: string;
  createdAt: string;
  kind: string;
  code: string;
  memo: string;
  amount: string;
  debitAccountId: string;
  creditAccountId: string;
  pendingTransferId: string | null;
  reversesTransferId: string | null;
}

/** The ledger's own `transfers` query over a period, every page (50 at a time, within its cost limit), oldest first (it lists newest first). */
export async function ledgerTransfers(
  client: GraphqlClient,
  currencyId: string,
  period: { from?: Date; to?: Date },
): Promise<ExportedTransferView[]> {
  const transfers: ExportedTransferView[] = [];
  let after: string | null = null;
  do {
    const page: PageView<ExportedTransferView> = (
      await gql<{ transfers: PageView<ExportedTransferView> }>(client, TRANSFERS_PAGE, {
        currencyId,
        from: period.from?.toISOString(),
        to: period.to?.toISOString(),
        after: after ?? undefined,
      })
    ).transfers;
    transfers.push(...page.edges.map(({ node }) => node));
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after);
  return transfers.reverse();
}

/** A transfer as the TRANSFERS export must write it. */
export function transferCsvRow(currencyCode: string, transfer: ExportedTransferView): Record<string, string> {
  return {
    transfer_id: rowId(transfer.id),
    created_at: transfer.createdAt,
    kind: transfer.kind,
    code: transfer.code,
    memo: spreadsheetText(transfer.memo),
    currency: currencyCode,
    amount: transfer.amount,
    debit_account_id: rowId(transfer.debitAccountId),
    credit_account_id: rowId(transfer.creditAccountId),
    pending_transfer_id: csvText(nullableRowId(transfer.pendingTransferId)),
    reverses_transfer_id: csvText(nullableRowId(transfer.reversesTransferId)),
  };
}

export const TRIAL_BALANCE = `query TrialBalance($currencyId: ID!) {
  trialBalance(currencyId: $currencyId) { currency { id code } lines { kind accountCount postedDebits postedCredits balance } total balanced asOf }
}`;

export interface TrialBalanceView {
  currency: { id: string; code: string };
  lines: { kind: string; accountCount: number; postedDebits: string; postedCredits: string; balance: string }[];
  total: string;
  balanced: boolean;
  asOf: string;
}

/** The ledger's own trial balance of a currency: its accounts' stored totals now, summed per kind. */
export async function trialBalance(client: GraphqlClient, currencyId: string): Promise<TrialBalanceView> {
  return (await gql<{ trialBalance: TrialBalanceView }>(client, TRIAL_BALANCE, { currencyId })).trialBalance;
}
