import DataLoader from 'dataloader';
import { byIds, groupedBy, requestLoader } from '../../libs/graphql/request-loaders.js';
import { LedgerRepository } from './ledger.repository.js';
import { Account, Currency, Posting, Transfer } from './models/ledger.models.js';

export interface LedgerLoaders {
  account: DataLoader<string, Account | null>;
  currency: DataLoader<string, Currency | null>;
  transfer: DataLoader<string, Transfer | null>;
  posting: DataLoader<string, Posting | null>;
  /** A transfer's postings: the debit, then the credit. */
  postings: DataLoader<string, Posting[]>;
  /** What posted or voided a pending transfer, by the pending transfer's id: none, or one. */
  resolutions: DataLoader<string, Transfer[]>;
  /** A transfer's reversal, by the reversed transfer's id: none, or one. */
  reversals: DataLoader<string, Transfer[]>;
}

const LEDGER = Symbol('ledgerLoaders');

/** The ledger's per-request loaders: a list of 100 transfers asks for its accounts and currencies in one query each. */
export function ledgerLoaders(context: object, ledger: LedgerRepository): LedgerLoaders {
  return requestLoader(context, LEDGER, () => ({
    account: byIds((ids) => ledger.findAccounts(ids)),
    currency: byIds((ids) => ledger.findCurrencies(ids)),
    transfer: byIds((ids) => ledger.findTransfers(ids)),
    posting: byIds((ids) => ledger.findPostings(ids)),
    postings: groupedBy(
      (transferIds) => ledger.postingsOfTransfers(transferIds),
      (posting) => posting.transferId,
    ),
    resolutions: groupedBy(
      (pendingIds) => ledger.resolutionsOf(pendingIds),
      (transfer) => transfer.pendingTransferId!,
    ),
    reversals: groupedBy(
      (transferIds) => ledger.reversalsOf(transferIds),
      (transfer) => transfer.reversesTransferId!,
    ),
  }));
}
