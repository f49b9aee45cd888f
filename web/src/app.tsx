import type { ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { Layout } from './components/layout';
import { LoginPage } from './pages/login';
import { MembersPage } from './pages/members';
import { OverviewPage } from './pages/overview';
import { PassbookPage } from './pages/passbook';
import { NotFoundPage, RefusedPage } from './pages/refused';
import { SessionProvider, useSession } from './session/session';
import { useViewer, ViewerProvider } from './session/viewer';

/** The signed-in screens; anyone else is sent to sign in. */
function RequireSignedIn() {
  const { signedIn } = useSession();
  if (!signedIn) return <Navigate to="/login" replace />;
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
function RequireCoordinator({ children }: { children: ReactNode }) {
  return useViewer().isCoordinator ? children : <RefusedPage />;
}

/** Coordinators start at the console, members at their passbook. */
function Home() {
  return <Navigate to={useViewer().isCoordinator ? '/console' : '/passbook'} replace />;
}

function SignedOutOnly() {
  return useSession().signedIn ? <Navigate to="/" replace /> : <LoginPage />;
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
            <Route path="console" element={<RequireCoordinator children={<OverviewPage />} />} />
            <Route path="console/members" element={<RequireCoordinator children={<MembersPage />} />} />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      </BrowserRouter>
    </SessionProvider>
  );
}
