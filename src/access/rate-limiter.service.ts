import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../libs/config/app-config.js';
import { ClientError, ErrorCode } from '../../libs/graphql/error-code.js';
import type { Actor } from './actor.js';
import { Counter, RateLimitRepository } from './rate-limit.repository.js';
import { addressBucket, LOGIN_FAILURES_PER_ADDRESS, LOGIN_WINDOWS, RateLimit } from './rate-limits.js';

/** A login attempt's counters, and which of them a successful login empties. */
export interface LoginAttempt {
  counters: Counter[];
  /** Consecutive failures of this email from this address: the owner's own success ends them. */
  resetOnSuccess: string[];
}

/** Who made a request: the client address (as Express's trust proxy sees it) and the actor. */
export interface Requester {
  address: string;
  actor?: Actor;
}

/** The account a request is counted against: the member (also when an app acts for them), or the partner app itself. */
function accountKey(actor: Actor | undefined): string | null {
  if (actor?.kind === 'member') return `member ${actor.memberId}`;
  if (actor?.kind === 'partner') return `partner-app ${actor.partnerAppId}`;
  return null;
}

/**
 * Checks and counts in PostgreSQL, in one statement, so that the limits hold across replicas and
 * under concurrency. Call it before anything is written or hashed: a refused request does nothing.
 */
@Injectable()
export class RateLimiterService {
  constructor(
    private readonly repository: RateLimitRepository,
    private readonly config: AppConfig,
  ) {}

  /** Counts the request, or throws RATE_LIMITED (counting nothing) when the address or the account is at its limit. */
  async take(limit: RateLimit, requester: Requester): Promise<void> {
    const account = accountKey(requester.actor);
    const counters = [this.addressCounter(limit.action, requester.address, limit.perAddress, limit.windowSeconds)];
    if (account && limit.perAccount)
      counters.push({ key: `${limit.action} ${account}`, limit: limit.perAccount, windowSeconds: limit.windowSeconds });
    const retryAfterSeconds = await this.repository.take(counters);
    if (retryAfterSeconds > 0) {
      throw new ClientError(
        ErrorCode.RATE_LIMITED,
        `Too many requests of this kind; retry in ${retryAfterSeconds} seconds`,
        { retryAfterSeconds },
      );
    }
  }

  /**
   * Takes a password guess before the password is checked, so that a burst gets exactly the allowed
   * number of guesses. The email's own address is limited tightly, any address across emails
   * loosely, and the email from everywhere more loosely still: a guesser locks out their own
   * address, and only slows the account for its owner. Null when the guess must wait.
   */
  async takeLoginAttempt(email: string, address: string): Promise<LoginAttempt | null> {
    const settings = this.config.rateLimits;
    const pair = `login email-address ${email} ${addressBucket(address)}`;
    const counters = [
      {
        key: pair,
        limit: settings.loginFailuresPerEmailAndAddress,
        windowSeconds: LOGIN_WINDOWS.perEmailAndAddressSeconds,
      },
      {
        key: `login email ${email}`,
        limit: settings.loginFailuresPerEmail,
        windowSeconds: LOGIN_WINDOWS.perEmailSeconds,
      },
      this.addressCounter('login', address, LOGIN_FAILURES_PER_ADDRESS, LOGIN_WINDOWS.perAddressSeconds),
    ];
    return (await this.repository.take(counters)) > 0 ? null : { counters, resetOnSuccess: [pair] };
  }

  /** The right password was no failure: its guess is given back, and the email's failures from this address end. */
  async loginSucceeded(attempt: LoginAttempt): Promise<void> {
    await this.repository.giveBack(
      attempt.counters.map((counter) => counter.key),
      attempt.resetOnSuccess,
    );
  }

  private addressCounter(action: string, address: string, perAddress: number, windowSeconds: number): Counter {
    return {
      key: `${action} address ${addressBucket(address)}`,
      limit: perAddress * this.config.rateLimits.addressMultiplier,
      windowSeconds,
    };
  }
}
