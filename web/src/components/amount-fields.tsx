import { useTranslation } from 'react-i18next';
import type { MoneyFragment } from '../graphql/generated';
import { isTimeCurrency } from '../format/amount';
import { fieldsOf } from '../format/amount-input';

/**
 * The fields an amount is typed in: hours and minutes for a time currency, one decimal field for
 * any other. format/amount-input.ts's amountOf reads them back. `initial` (minor units) fills them in.
 */
export function AmountFields({ currency, initial }: { currency: MoneyFragment; initial?: string }) {
  const { t } = useTranslation();
  const shown = initial === undefined ? undefined : fieldsOf(currency, initial);
  if (!isTimeCurrency(currency)) {
    return (
      <label>
        {t('amountInput.amount')} ({currency.symbol})
        <input name="units" inputMode="decimal" required defaultValue={shown?.units} />
      </label>
    );
  }
  return (
    <div className="amount-fields">
      <label>
        {t('amountInput.hours')}
        <input name="units" type="number" min="0" step="1" inputMode="numeric" defaultValue={shown?.units} />
      </label>
      <label>
        {t('amountInput.minutes')}
        <input
          name="minutes"
          type="number"
          min="0"
          max="59"
          step="1"
          inputMode="numeric"
          defaultValue={shown?.minutes}
        />
      </label>
    </div>
  );
}
