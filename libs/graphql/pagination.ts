import { Type } from '@nestjs/common';
import { ArgsType, Field, Int, ObjectType } from '@nestjs/graphql';
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

@ArgsType()
export class PageArgs {
  @Field(() => Int, { defaultValue: 20, description: `Page size, 1 to ${MAX_PAGE_SIZE}.` })
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  first: number = 20;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
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

/** A Relay connection type named `${name}Connection`, with its `${name}Edge`. */
export function ConnectionType<T>(node: Type<T>, name: string): Type<Connection<T>> {
  @ObjectType(`${name}Edge`, { description: `One ${name} of a page, with its position.` })
  class EdgeType {
    @Field({ description: 'An opaque position: pass it as `after` to read the rows that follow this one.' })
    cursor: string;

    @Field(() => node, { description: `The ${name} at this position.` })
    node: T;
  }

  // Each connection is described by its subclass, which names its order.
  @ObjectType(`${name}Connection`)
  class ConnectionObject {
    @Field(() => [EdgeType], { description: 'The rows of this page; empty when none are left.' })
    edges: EdgeType[];

    @Field(() => PageInfo, { description: 'Whether more pages exist, and the cursors to ask for them.' })
    pageInfo: PageInfo;
  }
  return ConnectionObject;
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
  const page = rows.slice(0, first);
  const edges = page.map((row) => ({ cursor: encodeCursor(positionOf(row)), node: toNode(row) }));
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
