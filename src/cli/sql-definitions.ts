import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';

/** Where the current definition of every SQL function and trigger, and every privilege, is kept for readers. */
export const SQL_DIR = 'sql';

const HEADER =
  '-- The current definition, read from a database with every migration applied (npm run sql).\n' +
  '-- Do not edit: change it with a new migration, then run npm run sql and commit both.\n';

/**
 * The project's own functions (not those of extensions such as pg_trgm), one file per name with its
 * overloads together, and every trigger in one file: what the migrations add up to today, so that
 * nobody has to replay their history to learn what runs.
 */
export async function readSqlDefinitions(dataSource: DataSource): Promise<Map<string, string>> {
  const functions: { name: string; definition: string }[] = await dataSource.query(
    `SELECT p.proname AS name, pg_get_functiondef(p.oid) AS definition
       FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = 'public' AND p.prokind IN ('f', 'p')
        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
      ORDER BY p.proname, pg_get_function_identity_arguments(p.oid)`,
  );
  const triggers: { definition: string }[] = await dataSource.query(
    `SELECT pg_get_triggerdef(t.oid) AS definition FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
      WHERE NOT t.tgisinternal ORDER BY c.relname, t.tgname`,
  );
  const files = new Map<string, string>();
  for (const { name, definition } of functions) {
    const file = `functions/${name}.sql`;
    files.set(file, `${files.get(file) ?? HEADER}\n${definition.trimEnd()};\n`);
  }
  files.set('triggers.sql', `${HEADER}\n${triggers.map((trigger) => `${trigger.definition};`).join('\n')}\n`);
  files.set('privileges.sql', `${HEADER}\n${(await readGrants(dataSource)).join('\n')}\n`);
  return files;
}

/**
 * Who besides the owner may do what: on tables (whole or by column), sequences and the project's own
 * functions, each as the GRANT that would give it. The service's role is the one that matters.
 */
async function readGrants(dataSource: DataSource): Promise<string[]> {
  const rows: { statement: string }[] = await dataSource.query(
    `WITH granted AS (
       SELECT CASE c.relkind WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END AS kind, quote_ident(c.relname) AS object,
              NULL::text AS column_name, a.grantee, a.privilege_type
         FROM pg_class c, aclexplode(c.relacl) a
        WHERE c.relnamespace = 'public'::regnamespace AND a.grantee <> c.relowner
       UNION ALL
       SELECT 'TABLE', quote_ident(c.relname), quote_ident(att.attname), a.grantee, a.privilege_type
         FROM pg_class c JOIN pg_attribute att ON att.attrelid = c.oid, aclexplode(att.attacl) a
        WHERE c.relnamespace = 'public'::regnamespace AND a.grantee <> c.relowner
       UNION ALL
       SELECT 'FUNCTION', p.oid::regprocedure::text, NULL, a.grantee, a.privilege_type
         FROM pg_proc p, aclexplode(p.proacl) a
        WHERE p.pronamespace = 'public'::regnamespace AND a.grantee <> p.proowner
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e'))
     , by_privilege AS (
       SELECT kind, object, grantee,
              privilege_type || coalesce(' (' || string_agg(column_name, ', ' ORDER BY column_name) || ')', '') AS privilege
         FROM granted GROUP BY kind, object, grantee, privilege_type, column_name IS NULL)
     SELECT format('GRANT %s ON %s %s TO %s;', string_agg(privilege, ', ' ORDER BY privilege), kind, object,
              CASE grantee WHEN 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(grantee)) END) AS statement
       FROM by_privilege
      GROUP BY kind, object, grantee
      ORDER BY kind DESC, object, statement`,
  );
  return rows.map((row) => row.statement);
}

function committedSqlFiles(): Map<string, string> {
  const files = new Map<string, string>();
  const read = (folder: string): void => {
    for (const entry of readdirSync(join(SQL_DIR, folder), { withFileTypes: true })) {
      const path = folder ? `${folder}/${entry.name}` : entry.name;
      if (entry.isDirectory()) read(path);
      else files.set(path, readFileSync(join(SQL_DIR, path), 'utf8'));
    }
  };
  try {
    read('');
  } catch {
    // No sql/ yet: every file is missing.
  }
  return files;
}

/** The files of sql/ that differ from the database's definitions: missing, stale or left over. */
export function staleSqlFiles(current: Map<string, string>): string[] {
  const committed = committedSqlFiles();
  const names = new Set([...current.keys(), ...committed.keys()]);
  return [...names].filter((name) => current.get(name) !== committed.get(name)).sort();
}

export function writeSqlFiles(current: Map<string, string>): void {
  rmSync(SQL_DIR, { recursive: true, force: true });
  for (const [name, text] of current) {
    mkdirSync(join(SQL_DIR, name, '..'), { recursive: true });
    writeFileSync(join(SQL_DIR, name), text);
  }
}
