import { useTranslation } from 'react-i18next';
import type { MoneyFragment } from '../graphql/generated';
import { formatAmount, formatDateTime, formatDay } from './amount';

/** Amounts and dates in the language the member reads the app in. */
export function useFormat(): {
  amount: (amount: string, currency: MoneyFragment) => string;
  dateTime: (iso: string) => string;
  day: (date: string) => string;
} {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  return {
    amount: (amount, currency) => formatAmount(amount, currency, locale, t),
    dateTime: (iso) => formatDateTime(iso, locale),
    day: (date) => formatDay(date, locale),
  };
}
