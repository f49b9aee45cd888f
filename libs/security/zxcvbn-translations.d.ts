/** The English feedback of @zxcvbn-ts/language-en, imported alone (its package declares types only for the whole entry point). */
declare module '@zxcvbn-ts/language-en/dist/translations.mjs' {
  import type { TranslationKeys } from '@zxcvbn-ts/core';

  const translations: TranslationKeys;
  export default translations;
}
