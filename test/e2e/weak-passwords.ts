import { GraphqlResponse } from '../support/test-app.js';

/**
 * A password refused as too easy to guess: the payload's one userError PASSWORD_TOO_WEAK (a too-short
 * one is INVALID_INPUT), its message naming the field, and no result (null, or `changed: false`).
 */
export function expectWeakPassword(response: GraphqlResponse, field: string): void {
  expect(response.errors).toBeUndefined();
  const [payload, ...others] = Object.values(response.data ?? {}) as Record<string, unknown>[];
  expect(others).toEqual([]);
  const { userErrors, ...result } = payload;
  expect(userErrors).toEqual([
    expect.objectContaining({
      code: 'PASSWORD_TOO_WEAK',
      message: expect.stringMatching(new RegExp(`^${field} is too easy to guess`)),
    }),
  ]);
  expect(Object.values(result).every((value) => value === null || value === false)).toBe(true);
}
