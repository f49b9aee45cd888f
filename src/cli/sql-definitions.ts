import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';

/** Where the current definition of every SQL function and trigger is kept, for readers. */
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
  return files;
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
