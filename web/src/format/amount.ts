import type { TFunction } from 'i18next';
import type { MoneyFragment } from '../graphql/generated';

/** A currency counted in minutes of an hour: a time bank's hours, shown as hours and minutes. */
export const isTimeCurrency = (currency: MoneyFragment): boolean => currency.minorUnitsPerUnit === 60;

const MINUS = '−';

/** Digits after the decimal point for a currency of 10^n minor units (100: 2); other divisions show whole minor units. */
function fractionDigits(minorUnitsPerUnit: number): number {
  const digits = Math.log10(minorUnitsPerUnit);
  return Number.isInteger(digits) ? digits : 0;
}

function timeAmount(minutes: bigint, locale: string, t: TFunction): string {
  const number = new Intl.NumberFormat(locale);
  const hours = minutes / 60n;
  const rest = minutes % 60n;
  if (hours === 0n) return t('amount.minutes', { minutes: number.format(rest) });
  if (rest === 0n) return t('amount.hours', { hours: number.format(hours) });
  return t('amount.hoursMinutes', { hours: number.format(hours), minutes: number.format(rest) });
}

function decimalAmount(units: bigint, currency: MoneyFragment, locale: string): string {
  const digits = fractionDigits(currency.minorUnitsPerUnit);
  const scale = 10n ** BigInt(digits);
  // As a string of digits, never a float: amounts are exact (docs/scalars.md).
  const text = digits ? `${units / scale}.${(units % scale).toString().padStart(digits, '0')}` : units.toString();
  const number = new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return `${number.format(text as `${number}`)} ${currency.symbol}`;
}

/**
 * An amount in the currency's minor units (the API's Amount: a decimal string) as people read it
 * in the locale: "1시간 30분" / "1 h 30 min" for 90 minutes of an HOUR currency, "12.50 €" for 1250
 * cents.
 */
export function formatAmount(amount: string, currency: MoneyFragment, locale: string, t: TFunction): string {
  const value = BigInt(amount);
  const magnitude = value < 0n ? -value : value;
  const text = isTimeCurrency(currency) ? timeAmount(magnitude, locale, t) : decimalAmount(magnitude, currency, locale);
  return value < 0n ? `${MINUS}${text}` : text;
}

export function formatDateTime(iso: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

/** A day typed in a date field (YYYY-MM-DD), as the locale writes dates. */
export function formatDay(date: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(new Date(`${date}T00:00`));
}
