import { useTranslation } from 'react-i18next';
import { chooseLanguage, LANGUAGES } from '../i18n/i18n';
import type { Language } from '../i18n/i18n';

/** Each language named in itself, so that a member who cannot read the current one still finds theirs. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <label className="language">
      <span>{t('language.label')}</span>
      <select value={i18n.language} onChange={(event) => chooseLanguage(event.target.value as Language)}>
        {LANGUAGES.map((language) => (
          <option key={language} value={language} lang={language}>
            {t(`language.${language}`)}
          </option>
        ))}
      </select>
    </label>
  );
}
