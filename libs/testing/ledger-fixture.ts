import { randomUUID } from 'node:crypto';
import { LedgerService } from '../../src/ledger/ledger.service.js';
import { Account, Currency } from '../../src/ledger/models/ledger.models.js';
import { AccountKind } from '../../src/ledger/models/ledger-enums.js';

export interface LedgerFixture {
  currency: Currency;
  issuance: Account;
  pool: Account;
  /** Member accounts, funded from issuance with the balances asked for. */
  members: Account[];
}

export interface MemberSpec {
  balance?: bigint;
  lowerLimit?: bigint | null;
  upperLimit?: bigint | null;
}

/** A fresh community with its own currency, so that test files never share accounts. */
export async function createLedgerFixture(ledger: LedgerService, members: MemberSpec[]): Promise<LedgerFixture> {
  const tag = randomUUID().slice(0, 8);
  const community = await ledger.createCommunity(`test-${tag}`, `Test community ${tag}`);
  const currency = await ledger.createCurrency({ communityId: community.id, code: 'HOUR', name: 'Hour', symbol: 'h', minorUnitsPerUnit: 60 });
  const issuance = (await ledger.systemAccount(currency.id, AccountKind.ISSUANCE))!;
  const pool = (await ledger.systemAccount(currency.id, AccountKind.POOL))!;
  const accounts: Account[] = [];
  for (const [index, spec] of members.entries()) {
    const account = await ledger.openMemberAccount({ currencyId: currency.id, name: `Member ${index + 1}`, lowerLimit: spec.lowerLimit, upperLimit: spec.upperLimit });
    if (spec.balance) await fund(ledger, issuance.id, account.id, spec.balance);
    accounts.push((await ledger.findAccount(account.id))!);
  }
  return { currency, issuance, pool, members: accounts };
}

export async function fund(ledger: LedgerService, fromAccountId: string, toAccountId: string, amount: bigint): Promise<void> {
  const result = await ledger.createTransfer({
    idempotencyKey: `fund-${randomUUID()}`, debitAccountId: fromAccountId, creditAccountId: toAccountId, amount, code: 'starter_grant', memo: '',
  });
  if (result.userErrors.length > 0) throw new Error(`funding failed: ${result.userErrors[0].code}`);
}
