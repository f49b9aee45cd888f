import { LedgerCore1764250000000 } from './1764250000000-ledger-core.js';
import { TwoPhaseBatchesReversals1764260000000 } from './1764260000000-two-phase-batches-reversals.js';
import { IdentityAccess1764270000000 } from './1764270000000-identity-access.js';
import { HolderCheckedPayments1764280000000 } from './1764280000000-holder-checked-payments.js';
import { Listings1764290000000 } from './1764290000000-listings.js';
import { Exchanges1764300000000 } from './1764300000000-exchanges.js';
import { VerificationRuns1764310000000 } from './1764310000000-verification-runs.js';
import { LedgerChainPeriods1764320000000 } from './1764320000000-ledger-chain-periods.js';
import { ReportExports1764330000000 } from './1764330000000-report-exports.js';
import { LedgerHardening1764340000000 } from './1764340000000-ledger-hardening.js';
import { IdentityHardening1764350000000 } from './1764350000000-identity-hardening.js';
import { ExchangeStateMachine1764360000000 } from './1764360000000-exchange-state-machine.js';
import { OAuth1764380000000 } from './1764380000000-oauth.js';
import { LeastPrivilege1764390000000 } from './1764390000000-least-privilege.js';
import { ChainAfterRestore1764395000000 } from './1764395000000-chain-after-restore.js';
import { EventFeed1764400000000 } from './1764400000000-event-feed.js';
import { Webhooks1764420000000 } from './1764420000000-webhooks.js';
import { CredentialsNotify1764430000000 } from './1764430000000-credentials-notify.js';
import { OpenHolds1764440000000 } from './1764440000000-open-holds.js';
import { HotPathSql1764450000000 } from './1764450000000-hot-path-sql.js';
import { EventsHorizonPerDatabase1764470000000 } from './1764470000000-events-horizon-per-database.js';
import { LeanTransferWrites1764480000000 } from './1764480000000-lean-transfer-writes.js';
import { TransferEventsFilledAtPublication1764510000000 } from './1764510000000-transfer-events-filled-at-publication.js';
import { SweeperSkipsBusyAccounts1764520000000 } from './1764520000000-sweeper-skips-busy-accounts.js';
import { OneTransferSkipsBatchStatements1764530000000 } from './1764530000000-one-transfer-skips-batch-statements.js';

/** In order of application. ESM has no reliable glob, so each migration is listed here. */
export const MIGRATIONS = [
  LedgerCore1764250000000,
  TwoPhaseBatchesReversals1764260000000,
  IdentityAccess1764270000000,
  HolderCheckedPayments1764280000000,
  Listings1764290000000,
  Exchanges1764300000000,
  VerificationRuns1764310000000,
  LedgerChainPeriods1764320000000,
  ReportExports1764330000000,
  LedgerHardening1764340000000,
  IdentityHardening1764350000000,
  ExchangeStateMachine1764360000000,
  OAuth1764380000000,
  LeastPrivilege1764390000000,
  ChainAfterRestore1764395000000,
  EventFeed1764400000000,
  Webhooks1764420000000,
  CredentialsNotify1764430000000,
  OpenHolds1764440000000,
  HotPathSql1764450000000,
  EventsHorizonPerDatabase1764470000000,
  LeanTransferWrites1764480000000,
  TransferEventsFilledAtPublication1764510000000,
  SweeperSkipsBusyAccounts1764520000000,
  OneTransferSkipsBatchStatements1764530000000,
];
