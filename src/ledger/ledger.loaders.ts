import DataLoader from 'dataloader';
import { LedgerRepository } from './ledger.repository.js';
import { Account, Currency, Posting } from './models/ledger.models.js';

export interface LedgerLoaders {
  account: DataLoader<string, Account | null>;
  currency: DataLoader<string, Currency | null>;
  /** A transfer's postings: the debit, then the credit. */
  postings: DataLoader<string, Posting[]>;
}

/** Loads by id in one query per request tick, in the order asked; a missing id yields null. */
function byIds<T extends { id: string }>(find: (ids: string[]) => Promise<T[]>): DataLoader<string, T | null> {
  return new DataLoader(async (ids: readonly string[]) => {
    const found = new Map((await find([...ids])).map((row) => [row.id, row]));
    return ids.map((id) => found.get(id) ?? null);
  });
}

const LOADERS = Symbol('ledgerLoaders');

/**
 * Per-request loaders, kept on the GraphQL context object: a list of 100 transfers asks for its
 * accounts and currencies in one query each, not one per row. Living on the context, they cache
 * only for one request, so no request sees another's data or a stale balance.
 */
export function ledgerLoaders(context: object, ledger: LedgerRepository): LedgerLoaders {
  const holder = context as { [LOADERS]?: LedgerLoaders };
  holder[LOADERS] ??= {
    account: byIds((ids) => ledger.findAccounts(ids)),
    currency: byIds((ids) => ledger.findCurrencies(ids)),
    postings: new DataLoader(async (transferIds: readonly string[]) => {
      const postings = await ledger.postingsOfTransfers([...transferIds]);
      return transferIds.map((transferId) => postings.filter((posting) => posting.transferId === transferId));
    }),
  };
  return holder[LOADERS];
}
