import type { MoneyFragment } from '../graphql/generated';
import { textField } from '../components/form-field';
import { isTimeCurrency } from './amount';

/** Whole non-negative numbers only: what the amount fields accept. */
const WHOLE = /^\d{1,9}$/;
const DECIMAL = /^(\d{1,12})(?:[.,](\d+))?$/;

/**
 * The amount a member typed, in the currency's minor units (the API's Amount), or null when it is
 * not one: hours and minutes for a time currency, a decimal number of units for any other.
 */
export function toMinorUnits(currency: MoneyFragment, units: string, minutes: string): bigint | null {
  if (isTimeCurrency(currency)) {
    const [h, m] = [units.trim() || '0', minutes.trim() || '0'];
    if (!WHOLE.test(h) || !WHOLE.test(m)) return null;
    return BigInt(h) * 60n + BigInt(m);
  }
  const match = DECIMAL.exec(units.trim());
  if (!match) return null;
  const scale = currency.minorUnitsPerUnit;
  const digits = Math.round(Math.log10(scale));
  const fraction = match[2] ?? '';
  if (fraction.length > digits) return null;
  return BigInt(match[1]) * BigInt(scale) + BigInt(fraction.padEnd(digits, '0') || '0');
}

/** A non-negative amount in minor units as the amount fields show it, [units, minutes]: toMinorUnits' inverse. */
export function toFields(currency: MoneyFragment, amount: bigint): [string, string] {
  if (isTimeCurrency(currency)) return [String(amount / 60n), String(amount % 60n)];
  const scale = BigInt(currency.minorUnitsPerUnit);
  const digits = Math.round(Math.log10(currency.minorUnitsPerUnit));
  const fraction = digits ? `.${(amount % scale).toString().padStart(digits, '0')}` : '';
  return [`${amount / scale}${fraction}`, ''];
}

/** The amount typed in a form's AmountFields (those of `prefix`), in minor units; null when it is not one. */
export const amountOf = (form: FormData, currency: MoneyFragment, prefix = ''): bigint | null =>
  toMinorUnits(currency, textField(form, `${prefix}units`), textField(form, `${prefix}minutes`));

/** Whether a form's AmountFields (those of `prefix`) were left empty: an amount that is optional was not given. */
export const amountLeftEmpty = (form: FormData, prefix = ''): boolean =>
  !textField(form, `${prefix}units`).trim() && !textField(form, `${prefix}minutes`).trim();
