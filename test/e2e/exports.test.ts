import http from 'node:http';
import { ErrorCode } from '../../libs/graphql/error-code.js';
import { rowId } from '../support/global-ids.js';
import { createLedgerFixture, LedgerFixture } from '../support/ledger-fixture.js';
import { GraphqlClient, TestApp, useTestApp } from '../support/test-app.js';
import { newToken, tokenHash } from '../../libs/security/tokens.js';
import { CreateTransferInput } from '../../src/ledger/dto/ledger.inputs.js';
import { BatchMode } from '../../src/ledger/models/ledger-enums.js';
import { ExportKind } from '../../src/reports/models/report.models.js';
import { ReportsRepository } from '../../src/reports/reports.repository.js';
import {
  asPartner,
  grantPartnerConsent,
  LOGOUT,
  loginAsNewAdmin,
  registerPartnerApp,
  REVOKE_PARTNER_APP,
  revokePartnerConsent,
} from './auth-client.js';
import { expectForbidden, expectQueryRefused } from './denials.js';
import { createTransfer, fetchAccount, gql, newKey, transferInput } from './graphql-client.js';
import { auditRows, succeed } from './member-client.js';
import {
  accountStatement,
  balanceCsvRow,
  balanceReport,
  boundary,
  csvRecords,
  download,
  exported,
  ledgerTransfers,
  millisecondBefore,
  parseCsv,
  REQUEST_EXPORT,
  requestExport,
  statementCsvRow,
  transferCsvRow,
} from './report-client.js';

const TRICKY_MEMO = 'tea, "biscuits"\r\nand a lift home';
const FORMULA_MEMO = '=HYPERLINK("http://example.invalid","claim")';

const refusedWith = (response: { errors?: { extensions?: Record<string, unknown> }[] }): unknown[] | undefined =>
  response.errors?.map((error) => error.extensions?.code);

describe('CSV exports', () => {
  const t = useTestApp();
  let fixture: LedgerFixture;
  let coordinator: GraphqlClient;
  let a: string, b: string, c: string;
  let middle: Date;
  let end: Date;

  const pay = async (from: string, to: string, amount: number, memo = ''): Promise<void> => {
    expect(
      (await createTransfer(fixture.as({ id: from }), transferInput(from, to, amount, { memo }))).userErrors,
    ).toEqual([]);
  };

  beforeAll(async () => {
    fixture = await createLedgerFixture(t, [{ balance: 100n }, { balance: 50n, lowerLimit: -100n }, {}]);
    coordinator = fixture.asCoordinator();
    [a, b, c] = fixture.members.map((account) => account.id);
    await pay(a, b, 30, TRICKY_MEMO);
    await pay(b, c, 20, FORMULA_MEMO);
    middle = await boundary(t);
    await pay(c, a, 5);
    await pay(b, a, 90, '-settled');
    end = await boundary(t);
  });

  it("streams a statement as CSV that equals accountStatement's lines, quoting memos and defusing formulas", async () => {
    const link = await requestExport(coordinator, {
      communityId: fixture.community.id,
      kind: 'STATEMENT',
      accountId: b,
      to: end.toISOString(),
    });
    expect(link).toMatchObject({
      kind: 'STATEMENT',
      filename: expect.stringMatching(new RegExp(`^statement_account${b}_.*\\.csv$`)),
      url: expect.stringMatching(/\/exports\/px_/),
    });
    const expiresIn = new Date(link.expiresAt).getTime() - Date.now();
    expect(expiresIn).toBeGreaterThan(4 * 60_000);
    expect(expiresIn).toBeLessThanOrEqual(5 * 60_000 + 1000);

    const file = await download(link.url);
    expect(file).toMatchObject({
      status: 200,
      contentType: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="${link.filename}"`,
    });
    expect(
      file.text.startsWith(
        'account_id,posting_id,transfer_id,created_at,transfer_kind,code,memo,counterparty_account_id,amount,balance_after,account_version\r\n',
      ),
    ).toBe(true);
    const { lines } = await accountStatement(coordinator, b, { to: end });
    expect(csvRecords(file.text)).toEqual(lines.map((line) => statementCsvRow(b, line)));
    expect(csvRecords(file.text).map((row) => row.memo)).toEqual(['', TRICKY_MEMO, `'${FORMULA_MEMO}`, "'-settled"]);
    expect(file.text).toContain('"tea, ""biscuits""\r\nand a lift home"');
    // A link may be used again until it expires (a retried download).
    expect((await download(link.url)).text).toBe(file.text);
  });

  it('exports the balance report as of an instant and the period of a statement, each equal to the GraphQL answer', async () => {
    const asOf = millisecondBefore(middle);
    const { report, lines } = await balanceReport(coordinator, fixture.community.id, asOf);
    const balances = await exported(coordinator, {
      communityId: fixture.community.id,
      kind: 'BALANCES',
      asOf: asOf.toISOString(),
    });
    expect(balances).toEqual(lines.map((line) => balanceCsvRow('HOUR', line)));
    expect(balances.map((row) => row.balance)).toEqual(['-150', '0', '70', '60', '20', '0']);
    expect(report.balanced).toBe(true);

    const period = { from: middle, to: end };
    const statement = await exported(coordinator, {
      communityId: fixture.community.id,
      kind: 'STATEMENT',
      accountId: a,
      from: middle.toISOString(),
      to: end.toISOString(),
    });
    expect(statement).toEqual(
      (await accountStatement(coordinator, a, period)).lines.map((line) => statementCsvRow(a, line)),
    );
    expect(statement.map((row) => row.balance_after)).toEqual(['75', '165']);
  });

  it("exports the community's transfers of a period as the ledger's transfers query lists them, holds and voids included", async () => {
    const hold = await t.ledger.createTransfer({
      idempotencyKey: newKey('hold'),
      debitAccountId: a,
      creditAccountId: c,
      amount: 7n,
      code: 'payment',
      memo: 'held',
      pending: true,
    });
    await t.ledger.voidPendingTransfer({
      idempotencyKey: newKey('void'),
      pendingTransferId: hold.transfer!.id,
      memo: '',
    });
    const rows = await exported(coordinator, { communityId: fixture.community.id, kind: 'TRANSFERS' });
    const listed = await ledgerTransfers(coordinator, fixture.currency.id, {});
    expect(rows).toEqual(listed.map((transfer) => transferCsvRow('HOUR', transfer)));
    expect(rows.map((row) => row.kind)).toEqual([
      'DIRECT',
      'DIRECT',
      'DIRECT',
      'DIRECT',
      'DIRECT',
      'DIRECT',
      'PENDING',
      'VOID_PENDING',
    ]);
    const beforeMiddle = await exported(coordinator, {
      communityId: fixture.community.id,
      kind: 'TRANSFERS',
      to: middle.toISOString(),
    });
    expect(beforeMiddle.map((row) => row.amount)).toEqual(['100', '50', '30', '20']);
  });

  it('gives a member their own statement only, hiding the other side as accountStatement does', async () => {
    const member = fixture.as({ id: a });
    const own = await exported(member, {
      communityId: fixture.community.id,
      kind: 'STATEMENT',
      accountId: a,
      to: end.toISOString(),
    });
    expect(own).toEqual((await accountStatement(member, a, { to: end })).lines.map((line) => statementCsvRow(a, line)));
    expect(own.map((row) => row.counterparty_account_id)).toEqual([fixture.issuance.id, '', '', '']);
    for (const input of [{ kind: 'STATEMENT', accountId: b }, { kind: 'BALANCES' }, { kind: 'TRANSFERS' }])
      expectForbidden(await member.graphql(REQUEST_EXPORT, { input: { communityId: fixture.community.id, ...input } }));
  });

  it("keeps each community's exports to its own auditors: no link crosses communities", async () => {
    const other = await createLedgerFixture(t, [{ balance: 10n }]);
    const stranger = other.asCoordinator();
    expectForbidden(
      await stranger.graphql(REQUEST_EXPORT, { input: { communityId: fixture.community.id, kind: 'BALANCES' } }),
    );
    expectForbidden(
      await stranger.graphql(REQUEST_EXPORT, {
        input: { communityId: fixture.community.id, kind: 'STATEMENT', accountId: a },
      }),
    );
    // Its own community named, another community's account asked for: refused, not served under the wrong name.
    expectForbidden(
      await stranger.graphql(REQUEST_EXPORT, {
        input: { communityId: other.community.id, kind: 'STATEMENT', accountId: a },
      }),
    );
    expectForbidden(
      await coordinator.graphql(REQUEST_EXPORT, {
        input: { communityId: fixture.community.id, kind: 'STATEMENT', accountId: other.members[0].id },
      }),
    );
    expectQueryRefused(
      await t.graphql(REQUEST_EXPORT, { input: { communityId: fixture.community.id, kind: 'BALANCES' } }),
      ErrorCode.UNAUTHENTICATED,
    );

    const { apiKey } = await registerPartnerApp(coordinator, fixture.community.id, ['AUDIT_READ']);
    const partner = asPartner(t, apiKey);
    const balances = await exported(partner, {
      communityId: fixture.community.id,
      kind: 'BALANCES',
      asOf: end.toISOString(),
    });
    expect(balances.map((row) => row.account_id)).toContain(a);
    expectForbidden(
      await partner.graphql(REQUEST_EXPORT, { input: { communityId: other.community.id, kind: 'BALANCES' } }),
    );
  });

  it('refuses parameters that do not fit the kind, and a period that ends before it starts, as BAD_USER_INPUT', async () => {
    const ask = (input: Record<string, unknown>) =>
      coordinator.graphql(REQUEST_EXPORT, { input: { communityId: fixture.community.id, ...input } });
    for (const input of [
      { kind: 'STATEMENT' },
      { kind: 'STATEMENT', accountId: a, asOf: end.toISOString() },
      { kind: 'BALANCES', from: middle.toISOString() },
      { kind: 'BALANCES', accountId: a },
      { kind: 'TRANSFERS', asOf: end.toISOString() },
      { kind: 'TRANSFERS', from: end.toISOString(), to: middle.toISOString() },
      { kind: 'TRANSFERS', to: 'soon' },
      { kind: 'STATEMENT', accountId: '0' },
    ])
      expect({ input, codes: refusedWith(await ask(input)) }).toEqual({ input, codes: [ErrorCode.BAD_USER_INPUT] });
    // Neither a global id nor a number: it names no account, and is denied as an unknown one is.
    expectForbidden(await ask({ kind: 'STATEMENT', accountId: 'abc' }));
    expect(refusedWith(await ask({ kind: 'EVERYTHING' }))).toEqual([ErrorCode.BAD_USER_INPUT]);
  });

  it('audits every link made: who, which export, which parameters', async () => {
    const link = await requestExport(coordinator, {
      communityId: fixture.community.id,
      kind: 'STATEMENT',
      accountId: c,
      from: middle.toISOString(),
      to: end.toISOString(),
    });
    const rows = await auditRows(t, {
      communityId: fixture.community.id,
      action: 'report.export',
      targetType: 'account',
      targetId: c,
    });
    expect(rows.at(-1)).toMatchObject({
      actorMemberId: fixture.coordinator.memberId,
      actorRole: 'coordinator',
      details: {
        kind: 'statement',
        from: middle.toISOString(),
        to: end.toISOString(),
        asOf: null,
        expiresAt: link.expiresAt,
      },
    });
  });

  it('answers an unknown, malformed or expired link with a JSON error code, never a file or a 500', async () => {
    const origin = new URL(
      (await requestExport(coordinator, { communityId: fixture.community.id, kind: 'BALANCES' })).url,
    ).origin;
    const refusal = async (path: string) => {
      const file = await download(`${origin}${path}`);
      return { status: file.status, contentType: file.contentType, body: JSON.parse(file.text) };
    };
    const json = 'application/json; charset=utf-8';
    const unknown = {
      status: 404,
      contentType: json,
      body: { errors: [{ message: expect.any(String), extensions: { code: 'EXPORT_LINK_UNKNOWN' } }] },
    };
    expect(await refusal(`/exports/${newToken('px_')}`)).toEqual(unknown);
    expect(await refusal('/exports/not-a-token')).toEqual(unknown);
    expect(await refusal(`/exports/${'%27'.repeat(20)}`)).toEqual(unknown);

    const token = newToken('px_');
    await t.app.get(ReportsRepository).insertExportLink({
      tokenHash: tokenHash(token),
      communityId: fixture.community.id,
      kind: ExportKind.BALANCES,
      accountId: null,
      period: null,
      asOf: end,
      requester: {
        kind: 'member',
        memberId: fixture.coordinator.memberId,
        isAdmin: false,
        sessionId: null,
        viaPartnerAppId: null,
        withinCommunityId: null,
      },
      lifetimeSeconds: -1,
    });
    expect(await refusal(`/exports/${token}`)).toEqual({
      status: 410,
      contentType: json,
      body: { errors: [{ message: expect.any(String), extensions: { code: 'EXPORT_LINK_EXPIRED' } }] },
    });
  });

  it('checks the requester again at download: a coordinator suspended since gets 403', async () => {
    const own = await createLedgerFixture(t, [{ balance: 5n }]);
    const link = await requestExport(own.asCoordinator(), { communityId: own.community.id, kind: 'BALANCES' });
    const admin = await loginAsNewAdmin(t);
    await succeed(admin.client, 'suspendMembership', {
      membershipId: own.coordinator.membershipId,
      reason: 'stepped down',
    });
    const file = await download(link.url);
    expect({ status: file.status, body: JSON.parse(file.text) }).toEqual({
      status: 403,
      body: { errors: [{ message: expect.any(String), extensions: { code: ErrorCode.FORBIDDEN } }] },
    });
  });

  describe('a link outlives no right to it', () => {
    const expectRefusedDownload = async (url: string): Promise<void> => {
      const file = await download(url);
      expect({ status: file.status, body: JSON.parse(file.text) }).toEqual({
        status: 403,
        body: { errors: [{ message: expect.any(String), extensions: { code: ErrorCode.FORBIDDEN } }] },
      });
    };

    it("stops a partner app's link once the app is revoked", async () => {
      const own = await createLedgerFixture(t, [{ balance: 5n }]);
      const { apiKey, partnerApp } = await registerPartnerApp(own.asCoordinator(), own.community.id, ['AUDIT_READ']);
      const link = await requestExport(asPartner(t, apiKey), { communityId: own.community.id, kind: 'BALANCES' });
      await gql(own.asCoordinator(), REVOKE_PARTNER_APP, { id: partnerApp.id, reason: 'contract ended' });
      await expectRefusedDownload(link.url);
    });

    it('stops the link a partner app made for a member once the member withdraws consent', async () => {
      const own = await createLedgerFixture(t, [{ balance: 5n }]);
      const [holder] = own.holders;
      const { apiKey, partnerApp } = await registerPartnerApp(own.asCoordinator(), own.community.id, [
        'ACT_FOR_MEMBER',
      ]);
      expect(await grantPartnerConsent(own.as(own.members[0]), partnerApp.id)).toBe(true);
      const link = await requestExport(asPartner(t, apiKey, holder.memberId), {
        communityId: own.community.id,
        kind: 'STATEMENT',
        accountId: own.members[0].id,
      });
      expect((await download(link.url)).status).toBe(200);
      await revokePartnerConsent(own.as(own.members[0]), partnerApp.id);
      await expectRefusedDownload(link.url);
    });

    it("stops a member's link once they log out everywhere", async () => {
      const own = await createLedgerFixture(t, [{ balance: 5n }]);
      const member = own.as(own.members[0]);
      const link = await requestExport(member, {
        communityId: own.community.id,
        kind: 'STATEMENT',
        accountId: own.members[0].id,
      });
      expect((await download(link.url)).status).toBe(200);
      await gql(member, LOGOUT, { everywhere: true });
      await expectRefusedDownload(link.url);
    });

    it('builds the link on PUBLIC_URL, whatever Host header the request forged', async () => {
      const body = JSON.stringify({
        query: REQUEST_EXPORT,
        variables: { input: { communityId: fixture.community.id, kind: 'BALANCES' } },
      });
      const headers = {
        ...coordinator.headers,
        'content-type': 'application/json',
        host: 'evil.example',
        'x-forwarded-host': 'evil.example',
        'x-forwarded-proto': 'https',
      };
      // node:http sends the Host header as given (fetch would not).
      const answer = await new Promise<string>((done, fail) => {
        const request = http.request(`${t.url}/graphql`, { method: 'POST', headers }, (response) => {
          let text = '';
          response.on('data', (chunk) => (text += chunk)).on('end', () => done(text));
        });
        request.on('error', fail).end(body);
      });
      const { url } = (JSON.parse(answer) as { data: { requestExport: { url: string } } }).data.requestExport;
      expect(url).toMatch(new RegExp(`^${t.url}/exports/px_`));
    });
  });
});

/** A seeded pseudo-random sequence, so that a failure can be replayed. */
function mulberry32(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let next = Math.imul(state ^ (state >>> 15), 1 | state);
    next = (next + Math.imul(next ^ (next >>> 7), 61 | next)) ^ next;
    return ((next ^ (next >>> 14)) >>> 0) / 4294967296;
  };
}

const MEMBERS = 20;
const TRANSFERS_PER_PHASE = 1500;
const BATCH = 500;
const MEMOS = ['', 'garden work', 'lessons, two hours', 'moving "boxes"', '=1+1', 'line\nbreak'];

/**
 * Thousands of transfers among 20 members, written in two phases around a recorded instant (with
 * holds posted in part and voided, and a reversal): statements, the balance report, the accounts'
 * own balances and every CSV export must agree with one another, account by account.
 */
describe('agreement of statements, the balance report and the exports over thousands of transfers', () => {
  const t = useTestApp();
  let fixture: LedgerFixture;
  let coordinator: GraphqlClient;
  let middle: Date;
  let end: Date;
  const random = mulberry32(6);

  const randomTransfers = (count: number): CreateTransferInput[] =>
    Array.from({ length: count }, () => {
      const debit = Math.floor(random() * MEMBERS);
      const credit = (debit + 1 + Math.floor(random() * (MEMBERS - 1))) % MEMBERS;
      return {
        idempotencyKey: newKey('agree'),
        debitAccountId: fixture.members[debit].id,
        creditAccountId: fixture.members[credit].id,
        amount: BigInt(1 + Math.floor(random() * 120)),
        code: 'payment',
        memo: MEMOS[Math.floor(random() * MEMOS.length)],
      };
    });

  const writePhase = async (): Promise<void> => {
    for (let written = 0; written < TRANSFERS_PER_PHASE; written += BATCH) {
      const { results } = await t.ledger.createTransfers({
        mode: BatchMode.INDEPENDENT,
        transfers: randomTransfers(BATCH),
      });
      expect(results.filter((result) => result.userErrors.length > 0)).toEqual([]);
    }
    const [first, second] = fixture.members;
    const hold = await t.ledger.createTransfer({
      idempotencyKey: newKey('hold'),
      debitAccountId: first.id,
      creditAccountId: second.id,
      amount: 90n,
      code: 'payment',
      memo: 'hold',
      pending: true,
    });
    await t.ledger.postPendingTransfer({
      idempotencyKey: newKey('post'),
      pendingTransferId: hold.transfer!.id,
      amount: 60n,
      memo: 'posted in part',
    });
    const lapsed = await t.ledger.createTransfer({
      idempotencyKey: newKey('hold'),
      debitAccountId: second.id,
      creditAccountId: first.id,
      amount: 40n,
      code: 'payment',
      memo: 'hold',
      pending: true,
    });
    await t.ledger.voidPendingTransfer({
      idempotencyKey: newKey('void'),
      pendingTransferId: lapsed.transfer!.id,
      memo: '',
    });
    const mistake = await t.ledger.createTransfer({
      idempotencyKey: newKey('oops'),
      debitAccountId: second.id,
      creditAccountId: first.id,
      amount: 15n,
      code: 'payment',
      memo: 'twice',
    });
    expect(
      (
        await t.ledger.reverseTransfer({
          idempotencyKey: newKey('undo'),
          transferId: mistake.transfer!.id,
          memo: 'paid twice',
          force: false,
        })
      ).userErrors,
    ).toEqual([]);
  };

  beforeAll(async () => {
    fixture = await createLedgerFixture(
      t,
      Array.from({ length: MEMBERS }, () => ({ balance: 600n, lowerLimit: -1_000_000n })),
    );
    coordinator = fixture.asCoordinator();
    await writePhase();
    middle = await boundary(t);
    await writePhase();
    end = await boundary(t);
  });

  it('agrees account by account: statements, the balance report at both ends, and the current balances', async () => {
    const atMiddle = await balanceReport(coordinator, fixture.community.id, millisecondBefore(middle));
    const atEnd = await balanceReport(coordinator, fixture.community.id, millisecondBefore(end));
    for (const { report } of [atMiddle, atEnd])
      expect(report).toMatchObject({ totalBalance: '0', balanced: true, accountCount: MEMBERS + 3 });
    expect(BigInt(atEnd.report.totalDebits)).toBeGreaterThan(2n * BigInt(TRANSFERS_PER_PHASE));
    const middleBalance = new Map(atMiddle.lines.map((line) => [line.accountId, line.balance]));
    let lines = 0;
    for (const line of atEnd.lines) {
      const before = await accountStatement(coordinator, line.accountId, { to: middle });
      const after = await accountStatement(coordinator, line.accountId, { from: middle, to: end });
      const current = await fetchAccount(coordinator, line.accountId);
      const figures = {
        closingBeforeMiddle: before.statement.closingBalance,
        openingAfterMiddle: after.statement.openingBalance,
        closingAtEnd: after.statement.closingBalance,
        sumOfLines: String(after.lines.reduce((sum, posting) => sum + BigInt(posting.amount), 0n)),
        lineCount: after.statement.lineCount,
        lastRunningBalance: after.lines.at(-1)?.balanceAfter ?? after.statement.openingBalance,
      };
      expect({ account: line.accountId, ...figures }).toEqual({
        account: line.accountId,
        closingBeforeMiddle: middleBalance.get(line.accountId),
        openingAfterMiddle: middleBalance.get(line.accountId),
        closingAtEnd: line.balance,
        sumOfLines: String(BigInt(line.balance) - BigInt(middleBalance.get(line.accountId)!)),
        lineCount: after.lines.length,
        lastRunningBalance: line.balance,
      });
      expect(current.balance).toBe(line.balance);
      lines += before.lines.length + after.lines.length;
    }
    // Every posting is on a statement once: two per transfer that moved money.
    const [{ postings }] = await t.dataSource.query(
      'SELECT count(*)::int AS postings FROM postings WHERE currency_id = $1',
      [fixture.currency.id],
    );
    expect(lines).toBe(postings);
  });

  it('exports the same figures: balances, every statement, and the transfers that make them', async () => {
    const period = { from: middle.toISOString(), to: end.toISOString() };
    const community = { communityId: fixture.community.id };
    const { lines } = await balanceReport(coordinator, fixture.community.id, millisecondBefore(end));
    expect(
      await exported(coordinator, { ...community, kind: 'BALANCES', asOf: millisecondBefore(end).toISOString() }),
    ).toEqual(lines.map((line) => balanceCsvRow('HOUR', line)));

    const movement = new Map<string, bigint>();
    for (const line of lines) {
      const statement = await accountStatement(coordinator, line.accountId, { from: middle, to: end });
      expect(
        await exported(coordinator, { ...community, kind: 'STATEMENT', accountId: line.accountId, ...period }),
      ).toEqual(statement.lines.map((posting) => statementCsvRow(line.accountId, posting)));
      // Exports write database ids.
      movement.set(
        rowId(line.accountId),
        BigInt(statement.statement.closingBalance) - BigInt(statement.statement.openingBalance),
      );
    }

    const transfers = await exported(coordinator, { ...community, kind: 'TRANSFERS', ...period });
    expect(transfers).toEqual(
      (await ledgerTransfers(coordinator, fixture.currency.id, { from: middle, to: end })).map((transfer) =>
        transferCsvRow('HOUR', transfer),
      ),
    );
    expect(transfers.length).toBeGreaterThan(TRANSFERS_PER_PHASE);
    // The transfers that moved money (holds and voids move none) add up to each statement's movement.
    const moved = new Map<string, bigint>();
    for (const transfer of transfers.filter((row) => row.kind === 'DIRECT' || row.kind === 'POST_PENDING')) {
      moved.set(transfer.debit_account_id, (moved.get(transfer.debit_account_id) ?? 0n) - BigInt(transfer.amount));
      moved.set(transfer.credit_account_id, (moved.get(transfer.credit_account_id) ?? 0n) + BigInt(transfer.amount));
    }
    for (const [accountId, amount] of movement)
      expect({ accountId, amount: moved.get(accountId) ?? 0n }).toEqual({ accountId, amount });
  });

  it('frees the connection of a download whose client goes away mid-file', async () => {
    const link = await requestExport(coordinator, { communityId: fixture.community.id, kind: 'TRANSFERS' });
    // Twice as many abandoned downloads as one server serves at once: a leak would leave none for the next.
    for (let attempt = 0; attempt < 8; attempt++) {
      await abandonDownload(link.url);
      await downloadWhenFree(t, link.url);
    }
    const file = await downloadWhenFree(t, link.url);
    expect(parseCsv(file).length - 1).toBe(
      (
        await t.dataSource.query('SELECT count(*)::int AS n FROM transfers WHERE currency_id = $1', [
          fixture.currency.id,
        ])
      )[0].n,
    );
  });
});

/** Starts a download, takes its first chunk, and hangs up. */
function abandonDownload(url: string): Promise<void> {
  return new Promise((done, fail) => {
    const request = http.get(url, (response) => {
      if (response.statusCode !== 200) {
        request.destroy();
        fail(new Error(`a download was refused with ${response.statusCode}: an abandoned one still holds its place`));
        return;
      }
      response.once('data', () => {
        request.destroy();
        done();
      });
    });
    request.on('error', (error) => (request.destroyed ? done() : fail(error)));
  });
}

/** Downloads a file, waiting while the server is still releasing what abandoned downloads held (503). */
async function downloadWhenFree(t: TestApp, url: string): Promise<string> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const file = await download(url);
    if (file.status === 200) return file.text;
    expect(file.status).toBe(503);
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`${url} stayed unavailable: abandoned downloads kept their connections (${t.url})`);
}
