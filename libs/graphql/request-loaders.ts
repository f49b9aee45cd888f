import DataLoader from 'dataloader';

/** Loads rows by id in one query per request tick, answering in the order asked; a missing id yields null. */
export function byIds<T extends { id: string }>(find: (ids: string[]) => Promise<T[]>): DataLoader<string, T | null> {
  return new DataLoader(async (ids: readonly string[]) => {
    const found = new Map((await find([...ids])).map((row) => [row.id, row]));
    return ids.map((id) => found.get(id) ?? null);
  });
}

/** Loads the rows that belong to each key (a transfer's postings, say) in one query per request tick. */
export function groupedBy<T>(
  find: (keys: string[]) => Promise<T[]>,
  keyOf: (row: T) => string,
): DataLoader<string, T[]> {
  return new DataLoader(async (keys: readonly string[]) => {
    const groups = new Map<string, T[]>(keys.map((key) => [key, []]));
    for (const row of await find([...keys])) groups.get(keyOf(row))?.push(row);
    return keys.map((key) => groups.get(key)!);
  });
}

const LOADERS = Symbol('requestLoaders');

/**
 * The loader of one kind for one GraphQL request, created on first use and kept on the request's
 * context object: every field of a page that asks for the same kind of object shares it, so the
 * page costs one query per kind, not one per row. Living on the context, a loader caches only for
 * its request: no request sees another's data, or a balance older than itself.
 */
export function requestLoader<L>(context: object, kind: symbol, create: () => L): L {
  const holder = context as { [LOADERS]?: Map<symbol, unknown> };
  const loaders = (holder[LOADERS] ??= new Map<symbol, unknown>());
  if (!loaders.has(kind)) loaders.set(kind, create());
  return loaders.get(kind) as L;
}
