import { createContext, useContext } from 'react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { Status } from '../components/status';
import { ViewerDocument } from '../graphql/generated';
import type { MoneyFragment, ViewerQuery } from '../graphql/generated';

type ViewerMember = NonNullable<ViewerQuery['viewer']['member']>;
type ViewerMembership = ViewerMember['memberships'][number];

export interface Viewer {
  member: ViewerMember;
  /** The community the app shows: the member's first active membership (a chooser comes with a second one). */
  membership: ViewerMembership | null;
  currency: MoneyFragment | null;
  isCoordinator: boolean;
}

const ViewerContext = createContext<Viewer | null>(null);

export function useViewer(): Viewer {
  const viewer = useContext(ViewerContext);
  if (!viewer) throw new Error('useViewer outside ViewerProvider');
  return viewer;
}

function viewerOf(member: ViewerMember): Viewer {
  const membership = member.memberships.find((m) => m.status === 'ACTIVE') ?? null;
  return {
    member,
    membership,
    currency: membership?.community.currencies[0] ?? null,
    isCoordinator: membership?.role === 'COORDINATOR',
  };
}

/** Who is signed in and where, asked once per session: the screens and the guards read it. */
export function ViewerProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const [{ data, error }] = useQuery({ query: ViewerDocument });
  const member = data?.viewer.member;
  if (error) return <Status kind="error">{t('app.error', { message: error.message })}</Status>;
  if (!member) return <Status kind="loading">{t('app.loading')}</Status>;
  return <ViewerContext.Provider value={viewerOf(member)}>{children}</ViewerContext.Provider>;
}

export interface CoordinatedCommunity {
  id: string;
  name: string;
  currency: MoneyFragment;
}

/** The community a console screen shows: only rendered behind RequireCoordinator, which checked the role. */
export function useCoordinatedCommunity(): CoordinatedCommunity {
  const { membership, currency, isCoordinator } = useViewer();
  if (!isCoordinator || !membership || !currency) throw new Error('a console screen outside RequireCoordinator');
  return { id: membership.community.id, name: membership.community.name, currency };
}
