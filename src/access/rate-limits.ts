import { isIP } from 'node:net';

const MINUTE = 60;
const HOUR = 60 * MINUTE;

/** How many requests of one kind are allowed per window, from one client address and by one account. */
export interface RateLimit {
  /** Names the counters, e.g. `register`. */
  action: string;
  windowSeconds: number;
  /** Per client address, before the operator's RATE_LIMIT_ADDRESS_MULTIPLIER. */
  perAddress: number;
  /** Per member (or partner app acting as itself); absent where nobody is logged in. */
  perAccount?: number;
}

/**
 * Mutations that cost the server (an argon2 hash, a report over a whole community) or other
 * members (invitations, requests a coordinator must answer). Generous for a person, tight for a script.
 */
export const RATE_LIMITS = {
  register: { action: 'register', windowSeconds: HOUR, perAddress: 10 },
  acceptInvitation: { action: 'accept-invitation', windowSeconds: HOUR, perAddress: 20 },
  changePassword: { action: 'change-password', windowSeconds: HOUR, perAddress: 20, perAccount: 5 },
  inviteMember: { action: 'invite-member', windowSeconds: HOUR, perAddress: 100, perAccount: 50 },
  joinCommunity: { action: 'join-community', windowSeconds: HOUR, perAddress: 30, perAccount: 10 },
  requestExport: { action: 'request-export', windowSeconds: HOUR, perAddress: 60, perAccount: 30 },
  runLedgerVerification: { action: 'run-ledger-verification', windowSeconds: HOUR, perAddress: 40, perAccount: 20 },
  createListing: { action: 'create-listing', windowSeconds: HOUR, perAddress: 60, perAccount: 30 },
  proposeExchange: { action: 'propose-exchange', windowSeconds: HOUR, perAddress: 200, perAccount: 100 },
  proposeGroupExchange: { action: 'propose-group-exchange', windowSeconds: HOUR, perAddress: 40, perAccount: 20 },
} as const satisfies Record<string, RateLimit>;

/** Login counts wrong passwords: per email and address (consecutive: a success resets it), per email, per address. */
export const LOGIN_WINDOWS = {
  perEmailAndAddressSeconds: 15 * MINUTE,
  perEmailSeconds: HOUR,
  perAddressSeconds: 15 * MINUTE,
} as const;
/** Wrong passwords per address in its window, before the multiplier: a slow guess across many accounts. */
export const LOGIN_FAILURES_PER_ADDRESS = 30;

function describeWindow(seconds: number): string {
  return seconds === HOUR ? 'an hour' : `per ${seconds / MINUTE} minutes`;
}

/** For a mutation's schema description: which limit applies, and what a refusal looks like. */
export function rateLimitNote(limit: RateLimit): string {
  const window = describeWindow(limit.windowSeconds);
  const perAccount = limit.perAccount ? `${limit.perAccount} ${window} per account and ` : '';
  return `Rate limit: ${perAccount}${limit.perAddress} ${window} per client address; beyond it, a RATE_LIMITED error with retryAfterSeconds, and nothing done.`;
}

/** Expands `::` so that IPv6 groups can be counted; the input is a valid IPv6 address. */
function ipv6Groups(address: string): string[] {
  const [head, tail] = address.includes('::') ? address.split('::') : [address, undefined];
  const headGroups = head ? head.split(':') : [];
  if (tail === undefined) return headGroups;
  const tailGroups = tail ? tail.split(':') : [];
  return [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups];
}

/**
 * The unit an address limit counts: an IPv4 address, or an IPv6 /64, which one subscriber
 * usually holds whole (counting single IPv6 addresses would give every attacker 2^64 of them).
 */
export function addressBucket(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1];
  if (isIP(address) !== 6) return address;
  return `${ipv6Groups(address.split('%')[0])
    .slice(0, 4)
    .map((group) => parseInt(group, 16).toString(16))
    .join(':')}::/64`;
}
