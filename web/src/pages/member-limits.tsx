import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation } from 'urql';
import { AmountFields } from '../components/amount-fields';
import { textField } from '../components/form-field';
import type { Outcome } from '../components/status';
import { SetAccountLimitsDocument } from '../graphql/generated';
import type { MemberRowFragment } from '../graphql/generated';
import { amountLeftEmpty, amountOf } from '../format/amount-input';
import { useFormat } from '../format/use-format';
import { useCoordinatedCommunity } from '../session/viewer';

/** An account's limits as a coordinator reads them: "−10 h to 40 h", or with no floor or no cap. */
export function useLimitsText(): (account: Pick<MemberRowFragment['account'], 'lowerLimit' | 'upperLimit'>) => string {
  const { t } = useTranslation();
  const format = useFormat();
  const { currency } = useCoordinatedCommunity();
  return ({ lowerLimit, upperLimit }) =>
    t('members.limitsRange', {
      lower: lowerLimit == null ? t('members.noFloor') : format.amount(lowerLimit, currency),
      upper: upperLimit == null ? t('members.noCap') : format.amount(upperLimit, currency),
    });
}

/**
 * The form's limits as the API takes them: the credit line typed as a positive amount is the
 * negative lower limit; an upper limit left empty is no cap. Null when an amount cannot be read.
 */
function limitsOf(form: FormData, currency: Parameters<typeof amountOf>[1]) {
  const creditLine = amountOf(form, currency, 'credit-');
  const upper = amountLeftEmpty(form, 'upper-') ? null : amountOf(form, currency, 'upper-');
  if (creditLine == null || (upper == null && !amountLeftEmpty(form, 'upper-'))) return null;
  return { lowerLimit: (-creditLine).toString(), upperLimit: upper?.toString() ?? null };
}

/**
 * New limits for a member's account (`setAccountLimits`), confirmed with a reason for the audit
 * log; the server refuses limits the balance would fall outside, and the screen says so.
 */
export function LimitsAction({ row, onOutcome }: { row: MemberRowFragment; onOutcome: (outcome: Outcome) => void }) {
  const { t } = useTranslation();
  const { currency } = useCoordinatedCommunity();
  const limitsText = useLimitsText();
  const [open, setOpen] = useState(false);
  const [{ fetching }, setLimits] = useMutation(SetAccountLimitsDocument);
  const name = row.member.displayName;
  const label = t('members.setLimits');
  if (!open) {
    return (
      <button type="button" onClick={() => setOpen(true)} aria-label={`${label}: ${name}`}>
        {label}
      </button>
    );
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const limits = limitsOf(form, currency);
    if (!limits) return onOutcome({ kind: 'error', text: t('members.badAmount') });
    const input = { accountId: row.account.id, ...limits, reason: textField(form, 'reason') };
    const result = await setLimits({ input });
    const payload = result.data?.setAccountLimits;
    const refusal = payload?.userErrors[0]?.message ?? result.error?.message;
    if (refusal) return onOutcome({ kind: 'error', text: t('members.refused', { message: refusal }) });
    setOpen(false);
    onOutcome({ kind: 'done', text: t('members.limitsSet', { name, limits: limitsText(payload!.account!) }) });
  }

  const { lowerLimit, upperLimit } = row.account;
  const creditLine = lowerLimit != null && BigInt(lowerLimit) < 0n ? -BigInt(lowerLimit) : 0n;
  return (
    <form className="confirm" onSubmit={(event) => void submit(event)}>
      <fieldset>
        <legend>{t('members.creditLine')}</legend>
        <AmountFields currency={currency} prefix="credit-" initial={creditLine} />
      </fieldset>
      <fieldset>
        <legend>{t('members.upperLimit')}</legend>
        <AmountFields
          currency={currency}
          prefix="upper-"
          initial={upperLimit == null ? null : BigInt(upperLimit)}
          optional
        />
      </fieldset>
      <label>
        {t('members.grantReason')}
        <input name="reason" required maxLength={500} />
      </label>
      <button type="submit" disabled={fetching}>
        {t('members.confirm', { action: label, name })}
      </button>
      <button type="button" onClick={() => setOpen(false)}>
        {t('members.cancel')}
      </button>
    </form>
  );
}
