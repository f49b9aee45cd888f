import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { listField, textField } from '../components/form-field';
import { OutcomeStatus, refusalOf, Status, useOutcome } from '../components/status';
import type { Outcome } from '../components/status';
import {
  ChangePasswordDocument,
  EndSessionDocument,
  ProfileDocument,
  SessionsDocument,
  UpdateMemberProfileDocument,
} from '../graphql/generated';
import type { OwnProfileFragment, SessionsQuery } from '../graphql/generated';
import { useFormat } from '../format/use-format';

type Session = SessionsQuery['sessionsConnection']['edges'][number]['node'];

/** The profile others see, every field sent as it stands in the form (a list field as comma-separated words). */
function ProfileForm({ profile }: { profile: OwnProfileFragment }) {
  const { t } = useTranslation();
  const headingId = useId();
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [{ fetching }, update] = useMutation(UpdateMemberProfileDocument);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const input = {
      displayName: textField(form, 'displayName').trim(),
      bio: textField(form, 'bio'),
      district: textField(form, 'district').trim(),
      languages: listField(form, 'languages'),
      skills: listField(form, 'skills'),
      tags: listField(form, 'tags'),
    };
    const result = await update({ input });
    const refusal = refusalOf(result.data?.updateMemberProfile, result.error);
    setOutcome(
      refusal
        ? { kind: 'error', text: t('profile.refused', { message: refusal }) }
        : { kind: 'done', text: t('profile.saved') },
    );
  }

  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('profile.about')}</h2>
      {profile.email && <p className="muted">{t('profile.email', { email: profile.email })}</p>}
      <form onSubmit={(event) => void submit(event)}>
        <label>
          {t('profile.displayName')}
          <input name="displayName" defaultValue={profile.displayName} required maxLength={100} autoComplete="name" />
        </label>
        <label>
          {t('profile.bio')}
          <textarea name="bio" defaultValue={profile.bio} maxLength={2000} rows={3} />
        </label>
        <label>
          {t('profile.district')}
          <input name="district" defaultValue={profile.district} maxLength={100} />
        </label>
        <label>
          {t('profile.languages')}
          <input name="languages" defaultValue={profile.languages.join(', ')} />
        </label>
        <label>
          {t('profile.skills')}
          <input name="skills" defaultValue={profile.skills.join(', ')} />
        </label>
        <label>
          {t('profile.tags')}
          <input name="tags" defaultValue={profile.tags.join(', ')} />
        </label>
        <button type="submit" disabled={fetching}>
          {t('profile.save')}
        </button>
      </form>
      <OutcomeStatus outcome={outcome} />
    </section>
  );
}

/** A new password, checked against the current one; the server ends every other session when it changes. */
function PasswordForm({ onChanged }: { onChanged: () => void }) {
  const { t } = useTranslation();
  const headingId = useId();
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [{ fetching }, change] = useMutation(ChangePasswordDocument);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const input = { currentPassword: textField(form, 'currentPassword'), newPassword: textField(form, 'newPassword') };
    const result = await change({ input });
    const refusal = refusalOf(result.data?.changePassword, result.error);
    if (refusal) return setOutcome({ kind: 'error', text: t('profile.passwordRefused', { message: refusal }) });
    formElement.reset();
    setOutcome({ kind: 'done', text: t('profile.passwordChanged') });
    onChanged();
  }

  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('profile.password')}</h2>
      <form onSubmit={(event) => void submit(event)}>
        <label>
          {t('profile.currentPassword')}
          <input name="currentPassword" type="password" required autoComplete="current-password" />
        </label>
        <label>
          {t('profile.newPassword')}
          <input
            name="newPassword"
            type="password"
            required
            minLength={10}
            maxLength={200}
            autoComplete="new-password"
          />
        </label>
        <button type="submit" disabled={fetching}>
          {t('profile.changePassword')}
        </button>
      </form>
      <OutcomeStatus outcome={outcome} />
    </section>
  );
}

function SessionItem({ session, onEnd }: { session: Session; onEnd: (sessions: Session[]) => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const started = format.dateTime(session.createdAt);
  return (
    <li className="card">
      <p>
        <strong>{t('profile.started', { when: started })}</strong>
        {session.current && <span className="badge">{t('profile.current')}</span>}
      </p>
      <p className="muted">{t('profile.expires', { when: format.dateTime(session.refreshExpiresAt) })}</p>
      {!session.current && (
        <button type="button" onClick={() => onEnd([session])} aria-label={t('profile.endOne', { when: started })}>
          {t('profile.end')}
        </button>
      )}
    </li>
  );
}

/**
 * The member's live sessions, newest first, this one marked: any other can be ended at once (a
 * lost phone), or all of them; the API ends one per request.
 */
function SessionsList({ sessions, onOutcome }: { sessions: Session[]; onOutcome: (outcome: Outcome) => void }) {
  const { t } = useTranslation();
  const headingId = useId();
  const [{ fetching }, endSession] = useMutation(EndSessionDocument);
  const others = sessions.filter((session) => !session.current);

  async function end(chosen: Session[]) {
    for (const session of chosen) {
      const result = await endSession({ input: { sessionId: session.id } });
      const refusal = refusalOf(result.data?.endSession, result.error);
      if (refusal) return onOutcome({ kind: 'error', text: t('profile.endRefused', { message: refusal }) });
    }
    onOutcome({ kind: 'done', text: t('profile.ended', { count: chosen.length }) });
  }

  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>{t('profile.sessions')}</h2>
      <p className="muted">{t('profile.sessionsAbout')}</p>
      <ul className="sessions">
        {sessions.map((session) => (
          <SessionItem key={session.id} session={session} onEnd={(chosen) => void end(chosen)} />
        ))}
      </ul>
      {others.length > 1 && (
        <button type="button" onClick={() => void end(others)} disabled={fetching}>
          {t('profile.endOthers')}
        </button>
      )}
    </section>
  );
}

/** The member's own profile, password and sessions. */
export function ProfilePage() {
  const { t } = useTranslation();
  const [{ data, error }] = useQuery({ query: ProfileDocument });
  const [sessions, refreshSessions] = useQuery({ query: SessionsDocument });
  const [outcome, onOutcome] = useOutcome(refreshSessions);
  const failure = error ?? sessions.error;
  return (
    <section>
      <h1>{t('profile.title')}</h1>
      {failure && <Status kind="error">{t('app.error', { message: failure.message })}</Status>}
      {!data && !failure && <Status kind="loading">{t('app.loading')}</Status>}
      {data && <ProfileForm profile={data.me} />}
      <PasswordForm onChanged={() => refreshSessions({ requestPolicy: 'network-only' })} />
      <OutcomeStatus outcome={outcome} />
      {sessions.data && (
        <SessionsList
          sessions={sessions.data.sessionsConnection.edges.map((edge) => edge.node)}
          onOutcome={onOutcome}
        />
      )}
    </section>
  );
}
