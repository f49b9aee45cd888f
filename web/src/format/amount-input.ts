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

/** The amount typed in a form's AmountFields, in minor units; null when it is not one. */
export const amountOf = (form: FormData, currency: MoneyFragment): bigint | null =>
  toMinorUnits(currency, textField(form, 'units'), textField(form, 'minutes'));

/**
 * What the amount fields show for an amount already set (a listing's price being edited): the
 * inverse of toMinorUnits, hours and minutes for a time currency, a decimal number of units for any other.
 */
export function fieldsOf(currency: MoneyFragment, amount: string): { units: string; minutes: string } {
  const value = BigInt(amount);
  if (isTimeCurrency(currency)) return { units: String(value / 60n), minutes: String(value % 60n) };
  const scale = BigInt(currency.minorUnitsPerUnit);
  const digits = Math.round(Math.log10(currency.minorUnitsPerUnit));
  const fraction = digits ? `.${(value % scale).toString().padStart(digits, '0')}` : '';
  return { units: `${value / scale}${fraction}`, minutes: '' };
}
