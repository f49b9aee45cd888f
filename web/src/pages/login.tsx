import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation } from 'urql';
import { LanguageSwitch } from '../components/language-switch';
import { textField } from '../components/form-field';
import { Status } from '../components/status';
import { LoginDocument } from '../graphql/generated';
import { useSession } from '../session/session';

/** Email and password, through the API's `login`; its refusals are shown in the member's language. */
export function LoginPage() {
  const { t } = useTranslation();
  const { signIn } = useSession();
  const [{ fetching }, login] = useMutation(LoginDocument);
  const [problem, setProblem] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const input = { email: textField(form, 'email'), password: textField(form, 'password') };
    const result = await login({ input });
    const payload = result.data?.login;
    if (payload?.tokens) return signIn(payload.tokens);
    const refusal = payload?.userErrors[0];
    setProblem(
      refusal
        ? t(`login.${refusal.code}`, { defaultValue: refusal.message })
        : t('login.failed', { message: result.error?.message }),
    );
  }

  return (
    <main id="main" className="login">
      <div className="login-language">
        <LanguageSwitch />
      </div>
      <h1>{t('login.title')}</h1>
      <form onSubmit={(event) => void submit(event)}>
        <label>
          {t('login.email')}
          <input name="email" type="email" autoComplete="username" required />
        </label>
        <label>
          {t('login.password')}
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        <button type="submit" disabled={fetching}>
          {fetching ? t('login.busy') : t('login.submit')}
        </button>
        {problem && <Status kind="error">{problem}</Status>}
      </form>
    </main>
  );
}
