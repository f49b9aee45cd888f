/**
 * TypeORM's `query()` on PostgreSQL answers an UPDATE or DELETE with `[rows, rowCount]` but an
 * INSERT or SELECT with the rows alone; this gives the rows either way.
 */
export function returnedRows<T = Record<string, unknown>>(result: unknown): T[] {
  const isPair =
    Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number';
  return (isPair ? result[0] : result) as T[];
}
