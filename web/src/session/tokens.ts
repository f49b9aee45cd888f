import type { TokensFragment } from '../graphql/generated';

/**
 * The signed-in session's tokens, kept in sessionStorage: they last as long as the tab (a reload
 * keeps the member signed in; closing the tab forgets them) and are never shared with other tabs
 * or written to disk by the app. An access token lives 15 minutes; the refresh token, used once,
 * brings the next pair (graphql/client.ts).
 */
const KEY = 'pumasi.tokens';

export type Tokens = TokensFragment;

export function loadTokens(): Tokens | null {
  const stored = sessionStorage.getItem(KEY);
  if (!stored) return null;
  try {
    return JSON.parse(stored) as Tokens;
  } catch {
    return null;
  }
}

export function saveTokens(tokens: Tokens | null): void {
  if (tokens) sessionStorage.setItem(KEY, JSON.stringify(tokens));
  else sessionStorage.removeItem(KEY);
}

/** Refresh a little before the server would refuse the token, so that no request races its expiry. */
const EXPIRY_MARGIN_MS = 30_000;

export const isExpiring = (tokens: Tokens, now = Date.now()): boolean =>
  Date.parse(tokens.accessTokenExpiresAt) - EXPIRY_MARGIN_MS <= now;
