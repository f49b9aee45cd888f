import { createContext, useContext, useState } from 'react';
import type { ReactNode } from 'react';
import { Provider } from 'urql';
import type { Client } from 'urql';
import { createClient } from '../graphql/client';
import { SignOutDocument } from '../graphql/generated';
import { loadTokens, saveTokens } from './tokens';
import type { Tokens } from './tokens';

interface Session {
  signedIn: boolean;
  signIn: (tokens: Tokens) => void;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/**
 * Whether someone is signed in, and the GraphQL client of that session: a new client (and so an
 * empty cache) at every sign-in and sign-out, so that nothing one member saw is shown to the next.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [signedIn, setSignedIn] = useState(() => loadTokens() !== null);
  const [client, setClient] = useState(() => sessionClient());

  // The client ends the session itself when the server no longer takes its tokens.
  function sessionClient(): Client {
    return createClient(() => begin(null));
  }

  function begin(tokens: Tokens | null) {
    saveTokens(tokens);
    setSignedIn(tokens !== null);
    setClient(sessionClient());
  }

  const session: Session = {
    signedIn,
    signIn: begin,
    // The server ends the session (its refresh token stops working) before the tab forgets it.
    async signOut() {
      await client.mutation(SignOutDocument, {}).toPromise();
      begin(null);
    },
  };
  return (
    <SessionContext.Provider value={session}>
      <Provider value={client}>{children}</Provider>
    </SessionContext.Provider>
  );
}
