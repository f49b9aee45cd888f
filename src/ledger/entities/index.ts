import { AccountEntity } from './account.entity.js';
import { CurrencyEntity } from './currency.entity.js';
import { LedgerPeriodEntity } from './ledger-period.entity.js';
import { PeriodBalanceEntity } from './period-balance.entity.js';
import { PostingEntity } from './posting.entity.js';
import { TransferFailureEntity } from './transfer-failure.entity.js';
import { TransferEntity } from './transfer.entity.js';

export const LEDGER_ENTITIES = [
  CurrencyEntity,
  AccountEntity,
  TransferEntity,
  PostingEntity,
  TransferFailureEntity,
  LedgerPeriodEntity,
  PeriodBalanceEntity,
];
