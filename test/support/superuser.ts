import { Client } from 'pg';

/** As a superuser would, in one transaction, bypassing the triggers that keep history append-only. */
export async function asSuperuser(
  url: string,
  work: (sql: (text: string, params?: unknown[]) => Promise<Record<string, any>[]>) => Promise<void>,
): Promise<void> {
  const superuser = new Client({ connectionString: url });
  await superuser.connect();
  try {
    await superuser.query('BEGIN');
    await superuser.query('SET LOCAL session_replication_role = replica');
    await work(async (text, params) => (await superuser.query(text, params)).rows);
    await superuser.query('COMMIT');
  } finally {
    await superuser.end();
  }
}
