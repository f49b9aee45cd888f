import { ClientError, ErrorCode } from '../../libs/graphql/error-code.js';
import { AccessPolicy, forbidden } from '../access/access.policy.js';
import type { Actor } from '../access/actor.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { Currency } from '../ledger/models/ledger.models.js';

export function badInput(message: string): ClientError {
  return new ClientError(ErrorCode.BAD_USER_INPUT, message);
}

/**
 * Admits the community's auditors only (coordinators, admins, AUDIT_READ partner apps) and returns
 * the currency the community was born with, which every amount about it is in. A community that does
 * not exist is refused like one that is not the caller's.
 */
export async function auditedCurrency(
  access: AccessPolicy,
  ledger: LedgerService,
  actor: Actor,
  communityId: string,
): Promise<Currency> {
  await access.requireAuditor(actor, communityId);
  const [currency] = await ledger.currenciesOf(communityId);
  if (!currency) throw forbidden();
  return currency;
}
