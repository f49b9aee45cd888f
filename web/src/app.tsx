import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Outlet, Route, Routes, useLocation } from 'react-router';
import { Layout } from './components/layout';
import { Status } from './components/status';
import { AuditLogPage } from './pages/audit-log';
import { CheckpointsPage } from './pages/checkpoints';
import { DisputesPage } from './pages/disputes';
import { ExchangesPage } from './pages/exchanges';
import { LedgerPage } from './pages/ledger';
import { ListingsPage } from './pages/listings';
import { LoginPage } from './pages/login';
import { MembersPage } from './pages/members';
import { OverviewPage } from './pages/overview';
import { PassbookPage } from './pages/passbook';
import { PeriodsPage } from './pages/periods';
import { ProfilePage } from './pages/profile';
import { NotFoundPage, RefusedPage } from './pages/refused';
import { VerificationPage } from './pages/verification';
import { SessionProvider, useSession } from './session/session';
import { useViewer, ViewerProvider } from './session/viewer';

/** Where a signed-out visitor was going: the login screen sends them on there. */
interface LoginState {
  from?: string;
}

/** The signed-in screens; anyone else is sent to sign in, and then on to the address they asked for. */
function RequireSignedIn() {
  const { signedIn } = useSession();
  const { pathname } = useLocation();
  if (!signedIn) return <Navigate to="/login" replace state={{ from: pathname } satisfies LoginState} />;
  return (
    <ViewerProvider>
      <Layout />
    </ViewerProvider>
  );
}

/**
 * The console's screens, for the community's coordinators: a member who types their address gets
 * the refusal, and none of the screen's queries is sent (the server would refuse them too).
 */
function RequireCoordinator() {
  return useViewer().isCoordinator ? <Outlet /> : <RefusedPage />;
}

/** Coordinators start at the console, members at their passbook. */
function Home() {
  return <Navigate to={useViewer().isCoordinator ? '/console' : '/passbook'} replace />;
}

/** The charts (Apache ECharts) load with their screen, not with the app: the first load stays small. */
const InsightsPage = lazy(() => import('./pages/insights'));

function Loading() {
  const { t } = useTranslation();
  return <Status kind="loading">{t('app.loading')}</Status>;
}

function SignedOutOnly() {
  const { signedIn } = useSession();
  const from = (useLocation().state as LoginState | null)?.from;
  return signedIn ? <Navigate to={from ?? '/'} replace /> : <LoginPage />;
}

export function App() {
  return (
    <SessionProvider>
      <BrowserRouter basename="/app">
        <Routes>
          <Route path="login" element={<SignedOutOnly />} />
          <Route element={<RequireSignedIn />}>
            <Route index element={<Home />} />
            <Route path="passbook" element={<PassbookPage />} />
            <Route path="listings" element={<ListingsPage />} />
            <Route path="exchanges" element={<ExchangesPage />} />
            <Route path="profile" element={<ProfilePage />} />
            <Route path="console" element={<RequireCoordinator />}>
              <Route index element={<OverviewPage />} />
              <Route path="members" element={<MembersPage />} />
              <Route path="ledger" element={<LedgerPage />} />
              <Route path="disputes" element={<DisputesPage />} />
              <Route path="verification" element={<VerificationPage />} />
              <Route path="audit" element={<AuditLogPage />} />
              <Route path="periods" element={<PeriodsPage />} />
              <Route path="checkpoints" element={<CheckpointsPage />} />
              <Route
                path="insights"
                element={
                  <Suspense fallback={<Loading />}>
                    <InsightsPage />
                  </Suspense>
                }
              />
            </Route>
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      </BrowserRouter>
    </SessionProvider>
  );
}
