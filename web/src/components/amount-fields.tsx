import { useTranslation } from 'react-i18next';
import type { MoneyFragment } from '../graphql/generated';
import { isTimeCurrency } from '../format/amount';

/**
 * The fields an amount is typed in: hours and minutes for a time currency, one decimal field for
 * any other. format/amount-input.ts's amountOf reads them back.
 */
export function AmountFields({ currency }: { currency: MoneyFragment }) {
  const { t } = useTranslation();
  if (!isTimeCurrency(currency)) {
    return (
      <label>
        {t('amountInput.amount')} ({currency.symbol})
        <input name="units" inputMode="decimal" required />
      </label>
    );
  }
  return (
    <div className="amount-fields">
      <label>
        {t('amountInput.hours')}
        <input name="units" type="number" min="0" step="1" inputMode="numeric" />
      </label>
      <label>
        {t('amountInput.minutes')}
        <input name="minutes" type="number" min="0" max="59" step="1" inputMode="numeric" />
      </label>
    </div>
  );
}
