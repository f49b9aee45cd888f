/**
 * The global id the API gives a row (docs/api.md, "Ids"): base64 of `Type:databaseId`, written
 * here independently of libs/graphql/global-id.ts, so that a test compares what a client sees with
 * what a client must be able to compute, not the server's function with itself.
 */
export function globalId(typeName: string, databaseId: string | number | bigint): string {
  return Buffer.from(`${typeName}:${databaseId}`, 'utf8').toString('base64');
}

/** The database id behind a global id of `typeName`; throws for anything else. */
export function databaseIdOf(typeName: string, id: string): string {
  const [type, databaseId] = Buffer.from(id, 'base64').toString('utf8').split(':');
  if (type !== typeName || !/^\d+$/.test(databaseId ?? ''))
    throw new Error(`${id} is not a global id of a ${typeName}`);
  return databaseId;
}

/**
 * The row number behind an id a test holds, global (read from the API) or bare (from a fixture):
 * for the SQL a test runs to look at or arrange rows.
 */
export function rowId(id: string): string {
  return /^\d+$/.test(id) ? id : Buffer.from(id, 'base64').toString('utf8').split(':')[1];
}
