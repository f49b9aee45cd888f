import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { logInAs } from '../e2e/auth-client.js';
import { gql } from '../e2e/graphql-client.js';
import { browserAvailable, expectAccessible, expectScreen, screenshot } from './browser.js';
import {
  EN_DESKTOP,
  EN_PHONE,
  hoursAndMinutes,
  KO_DESKTOP,
  KO_PHONE,
  ownAccount,
  PAY,
  useDemoInBrowser,
} from './demo.js';

/** A day as a date field takes it (YYYY-MM-DD), `offset` days from today in this machine's time zone (the browser's). */
function day(offset: number): string {
  const date = new Date();
  date.setDate(date.getDate() + offset);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}`;
}

/** The start of a day in this machine's time zone, as the API's instant. */
const startOf = (date: string) => new Date(`${date}T00:00`).toISOString();

const STATEMENT = `query Statement($id: ID!, $from: DateTime, $to: DateTime) {
  accountStatement(accountId: $id, from: $from, to: $to) { lineCount closingBalance }
}`;
const BALANCE_AT = `query BalanceAt($id: ID!, $at: DateTime!) { account(id: $id) { balanceAt(at: $at) } }`;

/** A section of the ledger screen, found by its heading as a screen reader finds it. */
const section = (page: Page, name: string) => page.getByRole('region', { name, exact: true });

const describeInBrowser = browserAvailable() ? describe : describe.skip;

describeInBrowser("the coordinator's ledger in a real browser, on the demo community", () => {
  const demo = useDemoInBrowser();
  const { t, open, password } = demo;

  it('a coordinator finds a transfer, reads the statement of a date range with running balances and a balance as of a date, reverses the transfer with a reason, and downloads the statement as CSV', async () => {
    const minji = await logInAs(t, 'minji@mapo.example', password('minji@mapo.example'));
    const jiho = await logInAs(t, 'jiho@mapo.example', password('jiho@mapo.example'));
    const [from, to] = [await ownAccount(minji.client), await ownAccount(jiho.client)];
    const memo = 'Borrowed the garden tools';
    const paid = await gql<{ createTransfer: { userErrors: unknown[] } }>(minji.client, PAY, {
      input: {
        idempotencyKey: `ledger-${Date.now()}`,
        debitAccountId: from.id,
        creditAccountId: to.id,
        amount: '50',
        memo,
      },
    });
    expect(paid.createTransfer.userErrors).toEqual([]);
    const paidBalance = Number(from.balance) - 50;
    const today = day(0);

    const { page, context } = await open(EN_DESKTOP, 'coordinator@mapo.example');
    await page.getByRole('link', { name: 'Ledger' }).click();
    await expectScreen(page, 'Ledger');

    // The transfer, found among Kim Minji's of today.
    const transfers = section(page, 'Transfers');
    await transfers.getByLabel('Account').selectOption({ label: 'Kim Minji' });
    await transfers.getByLabel('From', { exact: true }).fill(today);
    await transfers.getByLabel('To', { exact: true }).fill(today);
    await transfers.getByRole('button', { name: 'Search' }).click();
    const row = transfers.getByRole('row').filter({ hasText: memo });
    await row.getByRole('cell', { name: 'Kim Minji', exact: true }).waitFor();
    await row.getByRole('cell', { name: 'Lee Jiho', exact: true }).waitFor();
    await row.getByText(hoursAndMinutes(50, 'en'), { exact: true }).waitFor();

    // Her statement of today: the payment's line with the balance after it, and the closing balance.
    const statement = section(page, 'Statement');
    await statement.getByLabel('Account').selectOption({ label: 'Kim Minji' });
    await statement.getByLabel('From', { exact: true }).fill(today);
    await statement.getByLabel('To', { exact: true }).fill(today);
    await statement.getByRole('button', { name: 'Show the statement' }).click();
    const line = statement.getByRole('row').filter({ hasText: memo });
    await line.getByText(hoursAndMinutes(-50, 'en'), { exact: true }).waitFor();
    await line.getByText(hoursAndMinutes(paidBalance, 'en'), { exact: true }).waitFor();
    await statement.getByTestId('closing').getByText(hoursAndMinutes(paidBalance, 'en'), { exact: true }).waitFor();

    // Her balance at the end of yesterday (before the demo opened her account) and of today, as the API has them.
    const balanceAt = section(page, 'Balance as of a date');
    const answer = balanceAt.getByTestId('balance-at');
    for (const offset of [-1, 0]) {
      const at = new Date(Date.parse(startOf(day(offset + 1))) - 1).toISOString();
      const expected = await gql<{ account: { balanceAt: string } }>(minji.client, BALANCE_AT, { id: from.id, at });
      await balanceAt.getByLabel('Account').selectOption({ label: 'Kim Minji' });
      await balanceAt.getByLabel('At the end of').fill(day(offset));
      await balanceAt.getByRole('button', { name: 'Show the balance' }).click();
      await answer.getByText(`: ${hoursAndMinutes(Number(expected.account.balanceAt), 'en')}`).waitFor();
    }
    expect(await answer.textContent()).toMatch(/^Kim Minji at the end of /);
    await expectAccessible(page);
    await screenshot(page, 'ledger-en');

    // Reversed with a reason: both lists show it, and her balance is what it was before the payment.
    await row.getByRole('button', { name: `Reverse: ${memo}` }).click();
    await row.getByLabel(/^Reason/).fill('Paid twice by mistake');
    await row.getByRole('button', { name: 'Confirm the reversal' }).click();
    await transfers
      .getByRole('status')
      .getByText(`Reversed ${hoursAndMinutes(50, 'en')}: ${memo}.`)
      .waitFor();
    await row.getByText('Reversed', { exact: true }).waitFor();
    await transfers.getByText('Reversal: Paid twice by mistake').waitFor();
    await statement
      .getByTestId('closing')
      .getByText(hoursAndMinutes(Number(from.balance), 'en'), { exact: true })
      .waitFor();
    expect((await ownAccount(minji.client)).balance).toBe(from.balance);

    // The statement as a CSV file, downloaded by the browser: a header, then every line of the period.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      statement.getByRole('button', { name: 'Download this statement (CSV)' }).click(),
    ]);
    await statement.getByRole('status').getByText(`Downloading ${download.suggestedFilename()}.`).waitFor();
    const csv = readFileSync(await download.path(), 'utf8')
      .trim()
      .split(/\r?\n/);
    const period = { id: from.id, from: startOf(today), to: startOf(day(1)) };
    const expected = await gql<{ accountStatement: { lineCount: number } }>(minji.client, STATEMENT, period);
    expect(csv[0]).toMatch(/^account_id,posting_id,transfer_id,created_at,/);
    expect(csv.length).toBe(expected.accountStatement.lineCount + 1);
    expect(csv.filter((text) => text.includes(memo)).map((text) => text.split(',').slice(-3, -1))).toEqual([
      ['-50', String(paidBalance)],
    ]);
    await expectScreen(page, 'Ledger');
    await context.close();
  });

  it('the ledger in Korean on a phone', async () => {
    const { page, context } = await open(KO_PHONE, 'coordinator@mapo.example', { address: '/app/console/ledger' });
    await section(page, '이체 내역').getByRole('row').nth(1).waitFor();
    await expectScreen(page, '장부', 'ledger-ko-phone');
    await context.close();
  });

  it('a coordinator closes a period after a confirmation, and sees a refusal shown as the API gives it, in English and Korean', async () => {
    const { page, context } = await open(EN_DESKTOP, 'coordinator@mapo.example');
    await page.getByRole('link', { name: 'Periods' }).click();
    await page.getByText('No period is closed yet.').waitFor();
    await expectScreen(page, 'Period close');

    const close = async (through: string) => {
      await page.getByLabel('Through the end of').fill(through);
      await page.getByLabel(/^Note/).fill('Books of the demo reviewed by the committee');
      await page.getByRole('button', { name: 'Close the period…' }).click();
      await page.getByRole('button', { name: /^Confirm: close through/ }).click();
    };
    await close(day(1));
    await page
      .getByRole('alert')
      .getByText('Not done: A period can only be closed through an instant that has passed.')
      .waitFor();
    await close(day(-1));
    await page
      .getByRole('status')
      .getByText(/^The books are closed through the end of /)
      .waitFor();
    const closed = page.getByRole('region', { name: 'Closed periods, latest first' }).getByRole('row');
    await closed.filter({ hasText: 'Books of the demo reviewed by the committee' }).waitFor();
    expect(await closed.count()).toBe(2);
    await expectScreen(page, 'Period close', 'periods-en');
    await context.close();

    const korean = await open(KO_DESKTOP, 'coordinator@mapo.example', { address: '/app/console/periods' });
    await korean.page.getByRole('cell', { name: 'Books of the demo reviewed by the committee' }).waitFor();
    await expectScreen(korean.page, /^기간 마감$/);
    await korean.context.close();
  });

  it('a member who types a ledger address is refused, and the screen asks the API nothing of it', async () => {
    const { page, context } = await open(EN_PHONE, 'minji@mapo.example', { address: '/app/console/ledger' });
    const operations: string[] = [];
    page.on('request', (request) => {
      const body = request.postData();
      if (request.url().endsWith('/graphql') && body) operations.push(/(query|mutation) (\w+)/.exec(body)?.[2] ?? '');
    });
    await page.getByRole('heading', { name: 'Not for you' }).waitFor();
    // Asked again with the requests watched: neither screen sends its queries.
    for (const address of ['/app/console/ledger', '/app/console/periods']) {
      await page.goto(address);
      await expectScreen(page, 'Not for you');
    }
    expect(operations.filter((name) => /Ledger|Balance|Period/.test(name))).toEqual([]);
    expect(await page.getByRole('link', { name: 'Ledger' }).count()).toBe(0);
    await context.close();
  });
});
