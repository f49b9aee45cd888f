import type { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { InvalidInput } from '../graphql/invalid-input.js';

/**
 * zxcvbn's score runs 0 to 4; 3 means "safely unguessable: moderate protection from an offline
 * slow-hash scenario" (about 10^8 guesses), the level Dropbox and most adopters require.
 */
const MINIMUM_SCORE = 3;

/** For the schema descriptions of the mutations that set a password. */
export const PASSWORD_RULE =
  'The password must be 10 to 200 characters and hard to guess: not a common password, a keyboard or repeated pattern, nor made of your email or name (else the userError PASSWORD_TOO_WEAK; INVALID_INPUT for the length).';

/** The stable code of a too-guessable password: the userError's, and its `invalidFields` entry's where an error is top-level. */
export const PASSWORD_TOO_WEAK = 'PASSWORD_TOO_WEAK';

/**
 * Built on the first password set, not at boot (about 18 MB that a server only writing transfers
 * never needs): the 49,000 most common passwords, the diceware words and keyboard layouts for
 * patterns such as "qwertyuiop". English's names and words are left out: they would add about
 * 35 MB more for little against guessers of Korean members' passwords, who try the common passwords
 * and the member's own details first. English feedback comes alone, without the package's entry
 * point, which would load those dictionaries.
 */
let checker: Promise<ZxcvbnFactory> | undefined;

function passwordChecker(): Promise<ZxcvbnFactory> {
  checker ??= Promise.all([
    import('@zxcvbn-ts/core'),
    import('@zxcvbn-ts/language-common'),
    import('@zxcvbn-ts/language-en/dist/translations.mjs'),
  ]).then(
    ([core, common, english]) =>
      new core.ZxcvbnFactory({
        dictionary: common.dictionary,
        graphs: common.adjacencyGraphs,
        translations: english.default,
      }),
  );
  return checker;
}

/** What a guesser would try first: the email, its local part and its words; the name whole, run together, and word by word. */
function personalWords(details: { email: string; displayName?: string | null }): string[] {
  const local = details.email.split('@')[0];
  const name = details.displayName ?? '';
  const words = [
    details.email,
    local,
    ...local.split(/[^\p{L}\p{N}]+/u),
    name,
    name.replace(/\s+/g, ''),
    ...name.split(/\s+/),
  ];
  return [...new Set(words.map((word) => word.toLowerCase()).filter((word) => word.length >= 3))];
}

/**
 * Refuses a password that a guesser would find quickly: a common one, a pattern, or one made of
 * the member's own email or name. The refusal is the input validation's that refuses a short password
 * (answered as the payload's userErrors), its field coded PASSWORD_TOO_WEAK.
 */
export async function requireStrongPassword(
  password: string,
  field: string,
  details: { email: string; displayName?: string | null },
): Promise<void> {
  const result = (await passwordChecker()).check(password, personalWords(details));
  if (result.score >= MINIMUM_SCORE) return;
  const advice = [result.feedback.warning, ...result.feedback.suggestions].filter(Boolean).join(' ');
  const message = `${field} is too easy to guess${advice ? `: ${advice}` : ''}`;
  throw new InvalidInput([{ field, message, code: PASSWORD_TOO_WEAK }], 'input');
}
