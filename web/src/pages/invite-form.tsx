import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation } from 'urql';
import { textField } from '../components/form-field';
import type { Outcome } from '../components/status';
import { InviteMemberDocument } from '../graphql/generated';
import type { MemberKind } from '../graphql/generated';
import { useCoordinatedCommunity } from '../session/viewer';

const KINDS: MemberKind[] = ['PERSON', 'ORGANISATION'];

/**
 * Someone new invited into the community (`inviteMember`): the invitation is the approval. The
 * invitation code is shown once, in the outcome, for the coordinator to hand on; the server keeps
 * only its hash.
 */
export function InviteForm({ onOutcome }: { onOutcome: (outcome: Outcome) => void }) {
  const { t } = useTranslation();
  const community = useCoordinatedCommunity();
  const [open, setOpen] = useState(false);
  const [{ fetching }, invite] = useMutation(InviteMemberDocument);
  if (!open) {
    return (
      <button type="button" onClick={() => setOpen(true)}>
        {t('members.invite')}
      </button>
    );
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const input = {
      communityId: community.id,
      displayName: textField(form, 'displayName').trim(),
      email: textField(form, 'email').trim(),
      kind: textField(form, 'kind') as MemberKind,
    };
    const result = await invite({ input });
    const payload = result.data?.inviteMember;
    const refusal = payload?.userErrors[0]?.message ?? result.error?.message;
    if (refusal) return onOutcome({ kind: 'error', text: t('members.refused', { message: refusal }) });
    setOpen(false);
    onOutcome({
      kind: 'done',
      text: t('members.invited', { name: input.displayName, token: payload?.invitationToken ?? '' }),
    });
  }

  return (
    <form className="card" onSubmit={(event) => void submit(event)}>
      <h2>{t('members.invite')}</h2>
      <label>
        {t('members.name')}
        <input name="displayName" required maxLength={100} autoComplete="off" />
      </label>
      <label>
        {t('members.email')}
        <input name="email" type="email" required autoComplete="off" />
      </label>
      <label>
        {t('members.kind')}
        <select name="kind" defaultValue="PERSON">
          {KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {t(`members.${kind}`)}
            </option>
          ))}
        </select>
      </label>
      <div className="actions">
        <button type="submit" disabled={fetching}>
          {t('members.sendInvitation')}
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          {t('members.cancel')}
        </button>
      </div>
    </form>
  );
}
