import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json';
import ko from './ko.json';

export const LANGUAGES = ['ko', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** The member's own choice, kept on this device; without one, the browser's languages decide. */
const CHOICE_KEY = 'pumasi.language';

function preferredLanguage(): Language {
  const chosen = localStorage.getItem(CHOICE_KEY);
  const wanted = chosen ? [chosen] : navigator.languages;
  for (const tag of wanted) {
    const language = LANGUAGES.find((candidate) => tag.toLowerCase().startsWith(candidate));
    if (language) return language;
  }
  return 'en';
}

export function chooseLanguage(language: Language): void {
  localStorage.setItem(CHOICE_KEY, language);
  void i18next.changeLanguage(language);
}

/** Screen readers pronounce the page in its language. */
i18next.on('languageChanged', (language) => {
  document.documentElement.lang = language;
});

export async function setUpI18n(): Promise<void> {
  await i18next.use(initReactI18next).init({
    resources: { en: { translation: en }, ko: { translation: ko } },
    lng: preferredLanguage(),
    fallbackLng: 'en',
    // React escapes what it renders.
    interpolation: { escapeValue: false },
  });
  document.documentElement.lang = i18next.language;
}
