import pg from 'pg';

/** The role that holds the running service's privileges (migrations/1764390000000-least-privilege.ts). */
export const SERVICE_ROLE = 'pumasi_service';

/** The login role in SERVICE_ROLE that the embedded database and the tests create for the service. */
export const SERVICE_LOGIN = 'pumasi_app';

/** The same server and database as `url`, logged in as `user` with `password`. */
export function withCredentials(url: string, user: string, password: string): string {
  const parsed = new URL(url);
  parsed.username = encodeURIComponent(user);
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
}

/**
 * Makes SERVICE_LOGIN a member of SERVICE_ROLE that logs in with `password`, creating either role
 * where missing, on the server of `adminUrl` (a role that may create roles). Returns the service's
 * URL for the same database. Roles are the server's, not a database's: every database on it shares them.
 */
export async function ensureServiceLogin(adminUrl: string, password: string): Promise<string> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const createIfMissing = (role: string, attributes: string): string => `DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${role}') THEN CREATE ROLE ${role} ${attributes}; END IF;
      EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; -- created meanwhile by another process
      END $$`;
    await client.query(createIfMissing(SERVICE_ROLE, 'NOLOGIN'));
    await client.query(createIfMissing(SERVICE_LOGIN, 'LOGIN'));
    await client.query(`ALTER ROLE ${SERVICE_LOGIN} LOGIN PASSWORD ${client.escapeLiteral(password)}`);
    await client.query(`GRANT ${SERVICE_ROLE} TO ${SERVICE_LOGIN}`);
  } finally {
    await client.end();
  }
  return withCredentials(adminUrl, SERVICE_LOGIN, password);
}

interface ConnectedRole {
  name: string;
  superuser: boolean;
  creates: boolean;
  /** The first table (by name) that the role owns or may become the owner of, if any. */
  owned_table: string | null;
}

type Query = (sql: string) => Promise<ConnectedRole[]>;

/**
 * What the connected role may do beyond what the service needs: be a superuser, own (or become the
 * owner of) the tables, or create objects in their schema. Empty when it holds least privilege.
 */
export async function excessPrivileges(query: Query): Promise<string[]> {
  const [role] = await query(
    `SELECT current_user AS name, r.rolsuper AS superuser, has_schema_privilege('public', 'CREATE') AS creates,
            (SELECT min(c.relname) FROM pg_class c
              WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
                AND pg_has_role(current_user, c.relowner, 'MEMBER')) AS owned_table
       FROM pg_roles r WHERE r.rolname = current_user`,
  );
  const excess: string[] = [];
  if (role.superuser) excess.push(`${role.name} is a superuser`);
  if (role.owned_table) excess.push(`${role.name} owns table ${role.owned_table} (and may alter it)`);
  if (role.creates) excess.push(`${role.name} may create objects in schema public`);
  return excess;
}
