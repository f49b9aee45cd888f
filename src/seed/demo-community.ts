import { Logger } from '@nestjs/common';
import { LedgerService } from '../ledger/ledger.service.js';
import { AccountKind } from '../ledger/models/ledger-enums.js';

export const DEMO_COMMUNITY_SLUG = 'mapo-time-bank';
/** Seoul Time Bank's starter credit: 5 hours, in minutes. */
export const STARTER_GRANT_MINUTES = 300n;
const DEMO_MEMBERS = ['Kim Minji', 'Lee Jiho', 'Park Seoyeon', 'Choi Hyun'];

/**
 * A small living community for newcomers: an HOUR currency counted in minutes, its system
 * accounts, and a few members funded by the starter grant. Runs once: a second start finds it.
 */
export async function seedDemoCommunity(ledger: LedgerService, logger = new Logger('Seed')): Promise<boolean> {
  if (await ledger.findCommunityBySlug(DEMO_COMMUNITY_SLUG)) return false;
  const community = await ledger.createCommunity(DEMO_COMMUNITY_SLUG, 'Mapo Time Bank');
  const hour = await ledger.createCurrency({ communityId: community.id, code: 'HOUR', name: 'Hour', symbol: 'h', minorUnitsPerUnit: 60 });
  const issuance = (await ledger.systemAccount(hour.id, AccountKind.ISSUANCE))!;
  for (const name of DEMO_MEMBERS) {
    // A one-hour credit line, as e-Pumasi allowed members to go negative and repay by helping.
    const member = await ledger.openMemberAccount({ currencyId: hour.id, name, lowerLimit: -60n });
    await ledger.createTransfer({
      idempotencyKey: `seed:starter-grant:${member.id}`,
      debitAccountId: issuance.id,
      creditAccountId: member.id,
      amount: STARTER_GRANT_MINUTES,
      code: 'starter_grant',
      memo: 'Welcome to Mapo Time Bank: 5 hours to start with',
    });
  }
  logger.log(`Seeded the demo community "${community.name}" (currency HOUR id ${hour.id}, ${DEMO_MEMBERS.length} members)`);
  return true;
}
