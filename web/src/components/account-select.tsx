import { useTranslation } from 'react-i18next';
import type { LedgerAccountFragment } from '../graphql/generated';

/**
 * A choice of the currency's accounts by name, in a form field `accountId`; with `anyLabel`, an
 * empty choice meaning every account.
 */
export function AccountSelect({ accounts, anyLabel }: { accounts: LedgerAccountFragment[]; anyLabel?: string }) {
  const { t } = useTranslation();
  return (
    <label>
      {t('ledger.account')}
      <select name="accountId" required={!anyLabel} defaultValue="">
        <option value="" disabled={!anyLabel}>
          {anyLabel ?? t('ledger.chooseAccount')}
        </option>
        {accounts.map((account) => (
          <option key={account.id} value={account.id}>
            {account.name}
          </option>
        ))}
      </select>
    </label>
  );
}
