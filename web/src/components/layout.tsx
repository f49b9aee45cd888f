import { useTranslation } from 'react-i18next';
import { NavLink, Outlet } from 'react-router';
import { useSession } from '../session/session';
import { useViewer } from '../session/viewer';
import { LanguageSwitch } from './language-switch';

/** Every member's screens. */
const MEMBER_LINKS = [
  { to: '/passbook', label: 'nav.passbook' },
  { to: '/listings', label: 'nav.listings' },
  { to: '/exchanges', label: 'nav.exchanges' },
  { to: '/profile', label: 'nav.profile' },
] as const;

/** The console's screens, in the navigation of a coordinator only. */
const CONSOLE_LINKS = [
  { to: '/console', label: 'nav.overview' },
  { to: '/console/members', label: 'nav.members' },
  { to: '/console/ledger', label: 'nav.ledger' },
  { to: '/console/disputes', label: 'nav.disputes' },
  { to: '/console/insights', label: 'nav.insights' },
  { to: '/console/verification', label: 'nav.verification' },
  { to: '/console/audit', label: 'nav.audit' },
  { to: '/console/periods', label: 'nav.periods' },
  { to: '/console/checkpoints', label: 'nav.checkpoints' },
] as const;

/** The frame of every signed-in screen: a skip link, the navigation this member may use, and the screen. */
export function Layout() {
  const { t } = useTranslation();
  const { signOut } = useSession();
  const { member, isCoordinator } = useViewer();
  return (
    <>
      <a className="skip" href="#main">
        {t('app.skip')}
      </a>
      <header className="top">
        <span className="brand">{t('app.name')}</span>
        <nav aria-label={t('nav.label')}>
          {MEMBER_LINKS.map(({ to, label }) => (
            <NavLink key={to} to={to}>
              {t(label)}
            </NavLink>
          ))}
          {isCoordinator &&
            CONSOLE_LINKS.map(({ to, label }) => (
              <NavLink key={to} to={to} end>
                {t(label)}
              </NavLink>
            ))}
        </nav>
        <div className="account">
          <span className="who">{member.displayName}</span>
          <LanguageSwitch />
          <button type="button" onClick={() => void signOut()}>
            {t('nav.signOut')}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
