import { applyDecorators, Type } from '@nestjs/common';
import { ArgsType, Field, FieldMiddleware, Int, ObjectType } from '@nestjs/graphql';
import { IsDate, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { MAX_BIGINT } from '../database/database-id.js';
import { ClientError, ErrorCode } from './error-code.js';

@ObjectType({ description: 'Relay page information.' })
export class PageInfo {
  @Field({ description: 'Whether another page follows this one: ask for it with `after: endCursor`.' })
  hasNextPage: boolean;

  @Field({ description: 'Whether this page was asked for with `after`, so that earlier rows exist.' })
  hasPreviousPage: boolean;

  @Field(() => String, { nullable: true, description: "The first edge's cursor; null when the page is empty." })
  startCursor: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The last edge's cursor, to pass as `after`; null when the page is empty.",
  })
  endCursor: string | null;
}

export const MAX_PAGE_SIZE = 100;

/** The deprecation of a list that grew a paginated replacement: a list field cannot become a connection without breaking clients. */
export function replacedByConnection(connectionField: string): string {
  return `Unbounded: use ${connectionField}, which pages. Removed on or after 2027-06-01.`;
}

export const DEFAULT_PAGE_SIZE = 20;

interface PageFieldOptions {
  description?: string;
  deprecationReason?: string;
}

/**
 * The `first` argument: a page size, 1 to MAX_PAGE_SIZE. Optional (no default) for a field whose
 * page size, when omitted, comes from elsewhere.
 */
export function PageSizeArg(options: PageFieldOptions & { optional?: boolean } = {}): PropertyDecorator {
  const { optional, description = `Page size, 1 to ${MAX_PAGE_SIZE}.`, deprecationReason } = options;
  return applyDecorators(
    Field(() => Int, {
      ...(optional ? { nullable: true } : { defaultValue: DEFAULT_PAGE_SIZE }),
      description,
      deprecationReason,
    }),
    ...(optional ? [IsOptional()] : []),
    Min(1),
    Max(MAX_PAGE_SIZE),
  );
}

/** The `after` argument: the endCursor of the previous page; omitted or null, the first page. */
export function PageCursorArg(options: PageFieldOptions = {}): PropertyDecorator {
  const { description = 'The endCursor of the previous page.', deprecationReason } = options;
  return applyDecorators(
    Field(() => String, { nullable: true, description, deprecationReason }),
    IsOptional(),
    IsString(),
    MaxLength(200),
  );
}

@ArgsType()
export class PageArgs {
  @PageSizeArg()
  first: number = DEFAULT_PAGE_SIZE;

  @PageCursorArg()
  after?: string;
}

/** A page of rows created within [from, to). */
@ArgsType()
export class DateRangePageArgs extends PageArgs {
  @Field(() => Date, { nullable: true, description: 'Inclusive lower bound on createdAt.' })
  @IsOptional()
  @IsDate({ message: 'from must be a valid ISO 8601 date-time' })
  from?: Date;

  @Field(() => Date, { nullable: true, description: 'Exclusive upper bound on createdAt.' })
  @IsOptional()
  @IsDate({ message: 'to must be a valid ISO 8601 date-time' })
  to?: Date;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
}

/**
 * A connection whose `totalCount` is counted only when a client selects it: the field calls the
 * function then (countWhenSelected), so a page that does not ask never pays for the count.
 */
export interface CountedConnection<T> extends Connection<T> {
  totalCount: () => Promise<number>;
}

export interface ConnectionOptions {
  /**
   * Adds `totalCount: Int!`. Only where counting is cheap: an indexed count over a set that stays
   * small per community or per member, with the same filters as the page. Where it is not, the
   * connection's description says why it has none.
   */
  totalCount?: boolean;
}

/** Runs only for a selected totalCount: the connection holds the count to run, not its result. */
const countWhenSelected: FieldMiddleware = async (_context, next) => ((await next()) as () => Promise<number>)();

const TOTAL_COUNT =
  'How many nodes the whole connection holds with the same arguments: every page together, not only this one. Counted only when selected.';

/** A Relay connection type named `${name}Connection`, with its `${name}Edge`, and `totalCount` where cheap. */
export function ConnectionType<T>(
  node: Type<T>,
  name: string,
  options: ConnectionOptions & { totalCount: true },
): Type<CountedConnection<T>>;
export function ConnectionType<T>(node: Type<T>, name: string, options?: ConnectionOptions): Type<Connection<T>>;
export function ConnectionType<T>(node: Type<T>, name: string, options: ConnectionOptions = {}): Type<Connection<T>> {
  @ObjectType(`${name}Edge`, { description: `One node of a ${name}Connection page, with its cursor.` })
  class EdgeType {
    @Field({ description: 'Opaque: give it as `after` to get the nodes that follow this one.' })
    cursor: string;

    @Field(() => node, { description: `The ${name} at this position.` })
    node: T;
  }

  @ObjectType({ isAbstract: true })
  class ConnectionFields {
    @Field(() => [EdgeType], { description: 'The rows of this page; empty when none are left.' })
    edges: EdgeType[];

    @Field(() => PageInfo, { description: 'Whether more pages exist, and the cursors to ask for them.' })
    pageInfo: PageInfo;
  }

  if (!options.totalCount) {
    @ObjectType(`${name}Connection`)
    class ConnectionObject extends ConnectionFields {}
    return ConnectionObject;
  }

  @ObjectType(`${name}Connection`)
  class CountedConnectionObject extends ConnectionFields {
    @Field(() => Int, { description: TOTAL_COUNT, middleware: [countWhenSelected] })
    totalCount: () => Promise<number>;
  }
  return CountedConnectionObject;
}

/** Adds the count of the whole set to a page; it runs only if the client selects totalCount. */
export function withTotalCount<T>(connection: Connection<T>, count: () => Promise<number>): CountedConnection<T> {
  return { ...connection, totalCount: count };
}

/** Cursors are opaque to clients: a versioned, base64url-encoded position. */
export function encodeCursor(position: bigint | string): string {
  return Buffer.from(`v1:${position}`).toString('base64url');
}

export function decodeCursor(cursor: string | null | undefined): bigint | undefined {
  // An explicit `after: null` means the first page, as an omitted one does.
  if (cursor === undefined || cursor === null) return undefined;
  const match = /^v1:(\d{1,19})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match || BigInt(match[1]) > MAX_BIGINT)
    throw new ClientError(ErrorCode.BAD_USER_INPUT, 'after is not a cursor this API issued', { field: 'after' });
  return BigInt(match[1]);
}

/** What a page asks for: PageArgs, or a field's own paging arguments once their defaults are applied. */
export interface PageRequest {
  first: number;
  after?: string | null;
}

/** A set read in the order of a unique, indexed key: no OFFSET, so rows added between pages are neither missed nor repeated. */
export interface KeysetQuery<T> {
  /** At most `limit` rows after the key `after` (undefined: from the start), in the key's order. */
  rows: (after: bigint[] | undefined, limit: number) => Promise<T[]>;
  keyOf: (row: T) => readonly bigint[];
  /** How many rows the whole set holds, with the same filters as `rows`. */
  count: () => Promise<number>;
}

/**
 * Cursors that name their connection, for connections whose key may have several parts: one
 * connection's cursor given to another is refused, where a bare number would be misread as a
 * position there. `v1:<connection>:<key part>.<key part>…`, base64url-encoded.
 */
export class ConnectionCursors {
  private readonly pattern: RegExp;

  constructor(
    readonly connection: string,
    keyParts = 1,
  ) {
    this.pattern = new RegExp(`^v1:${connection}:(\\d{1,19}(?:\\.\\d{1,19}){${keyParts - 1}})$`);
  }

  encode(key: readonly bigint[]): string {
    return Buffer.from(`v1:${this.connection}:${key.join('.')}`).toString('base64url');
  }

  /** The key after which the page starts; undefined for the first page (no cursor, or `after: null`). */
  decode(cursor: string | null | undefined): bigint[] | undefined {
    if (cursor === undefined || cursor === null) return undefined;
    const match = this.pattern.exec(Buffer.from(cursor, 'base64url').toString());
    const key = match?.[1].split('.').map(BigInt);
    if (!key || key.some((part) => part > MAX_BIGINT))
      throw new ClientError(
        ErrorCode.BAD_USER_INPUT,
        `after is not a cursor of ${this.connection} that this API issued`,
        {
          field: 'after',
        },
      );
    return key;
  }

  /** Fetches `first + 1` rows after the cursor and pages them; the set is counted only if totalCount is selected. */
  async countedPage<T>(page: PageRequest, query: KeysetQuery<T>): Promise<CountedConnection<T>> {
    const after = this.decode(page.after);
    const rows = await query.rows(after, page.first + 1);
    return withTotalCount(
      this.page(rows, page.first, query.keyOf, (row) => row, after),
      query.count,
    );
  }

  /** A page from rows fetched with `LIMIT first + 1` after the key `after` decoded to (undefined: the first page). */
  page<R, T>(
    rows: R[],
    first: number,
    keyOf: (row: R) => readonly bigint[],
    toNode: (row: R) => T,
    after: readonly bigint[] | undefined,
  ): Connection<T> {
    return pageOf(rows, first, (row) => this.encode(keyOf(row)), toNode, after === undefined);
  }
}

/**
 * Builds a page from rows fetched with `LIMIT first + 1`: the extra row only tells whether a next
 * page exists.
 */
export function toConnection<R, T>(
  rows: R[],
  first: number,
  positionOf: (row: R) => bigint | string,
  toNode: (row: R) => T,
  isFirstPage: boolean,
): Connection<T> {
  return pageOf(rows, first, (row) => encodeCursor(positionOf(row)), toNode, isFirstPage);
}

function pageOf<R, T>(
  rows: R[],
  first: number,
  cursorOf: (row: R) => string,
  toNode: (row: R) => T,
  isFirstPage: boolean,
): Connection<T> {
  const page = rows.slice(0, first);
  const edges = page.map((row) => ({ cursor: cursorOf(row), node: toNode(row) }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage: !isFirstPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
