import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

/** What a member sees at a coordinator's address, typed or followed: no data of the screen is asked for. */
export function RefusedPage() {
  const { t } = useTranslation();
  return (
    <section>
      <h1>{t('refused.title')}</h1>
      <p>{t('refused.coordinatorOnly')}</p>
      <Link to="/passbook">{t('refused.back')}</Link>
    </section>
  );
}

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <section>
      <h1>{t('notFound.title')}</h1>
      <Link to="/">{t('notFound.back')}</Link>
    </section>
  );
}
