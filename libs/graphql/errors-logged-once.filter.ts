import { ArgumentsHost, Catch } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { GqlContextType } from '@nestjs/graphql';

/**
 * Every error is logged once. A resolver's error goes on to formatError, which logs what it masks
 * (libs/graphql/format-error.ts); Nest's own handler would log it first, so it is bypassed here for
 * GraphQL. Errors of plain HTTP routes (/health, export downloads) keep Nest's handling.
 */
@Catch()
export class ErrorsLoggedOnceFilter extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): unknown {
    // A returned error is what graphql-js reports as the field's error: Nest's GraphQL filters work so.
    if (host.getType<GqlContextType>() === 'graphql') return exception;
    return super.catch(exception, host);
  }
}
