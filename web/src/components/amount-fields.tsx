import { useTranslation } from 'react-i18next';
import type { MoneyFragment } from '../graphql/generated';
import { isTimeCurrency } from '../format/amount';
import { toFields } from '../format/amount-input';

/**
 * The fields an amount is typed in: hours and minutes for a time currency, one decimal field for
 * any other. format/amount-input.ts's amountOf reads them back. A form with two amounts names
 * each with a prefix (and puts each in a fieldset whose legend says which it is); `initial` fills
 * them with an amount already set; an `optional` amount may be left empty.
 */
export function AmountFields({
  currency,
  prefix = '',
  initial,
  optional = false,
}: {
  currency: MoneyFragment;
  prefix?: string;
  initial?: bigint | null;
  optional?: boolean;
}) {
  const { t } = useTranslation();
  const [units, minutes] = initial == null ? [undefined, undefined] : toFields(currency, initial);
  if (!isTimeCurrency(currency)) {
    return (
      <label>
        {t('amountInput.amount')} ({currency.symbol})
        <input name={`${prefix}units`} inputMode="decimal" required={!optional} defaultValue={units} />
      </label>
    );
  }
  return (
    <div className="amount-fields">
      <label>
        {t('amountInput.hours')}
        <input name={`${prefix}units`} type="number" min="0" step="1" inputMode="numeric" defaultValue={units} />
      </label>
      <label>
        {t('amountInput.minutes')}
        <input
          name={`${prefix}minutes`}
          type="number"
          min="0"
          max="59"
          step="1"
          inputMode="numeric"
          defaultValue={minutes}
        />
      </label>
    </div>
  );
}
