import { LoggerService } from '@nestjs/common';
import type { RequestHandler } from 'express';
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pino, DestinationStream, Level, Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import pretty from 'pino-pretty';
import type { LogLevel } from '../config/app-config.js';

/** Where log lines go and how they look; tests pass a destination to read what was logged. */
export interface LogSettings {
  level: LogLevel;
  /** JSON lines (production); otherwise one readable line per entry. */
  json: boolean;
  /** Defaults to standard output. */
  destination?: DestinationStream;
}

/** LOG_LEVEL's names are Nest's (with "info" for "log"); pino calls "verbose" "trace". */
const PINO_LEVELS: Record<LogLevel, Level> = {
  fatal: 'fatal',
  error: 'error',
  warn: 'warn',
  info: 'info',
  debug: 'debug',
  verbose: 'trace',
};

/**
 * Whatever a log line might carry that is a secret. Log calls pass messages and errors, never
 * requests or inputs; this is the net under that rule.
 */
const REDACTED_PATHS = [
  'password',
  'token',
  'authorization',
  'cookie',
  'apiKey',
  'accessToken',
  'refreshToken',
].flatMap((key) => [key, `*.${key}`]);

/** A request id a client may choose: short, and nothing that could forge a log line or a header. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export const REQUEST_ID_HEADER = 'x-request-id';

/** The client's own id when it is sane, so that its logs and ours meet; otherwise one of ours. */
export function requestIdFor(incoming: string | string[] | undefined): string {
  return typeof incoming === 'string' && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/**
 * Only what helps without exposing anyone: an error's kind, message, stack and SQLSTATE. pino's
 * own serializer would copy every property, and a TypeORM QueryFailedError carries the SQL and its
 * parameters (memos, member ids).
 */
function serializeError(logged: unknown): Record<string, unknown> {
  // Inside a request, pino-http hands this serializer pino's own serialization, with the error as `raw`.
  const error = logged instanceof Error ? logged : ((logged as { raw?: unknown } | null)?.raw ?? logged);
  if (!(error instanceof Error)) return { message: String(error) };
  const code = (error as { code?: unknown }).code;
  return { type: error.name, message: error.message, stack: error.stack, ...(typeof code === 'string' && { code }) };
}

/** Long random path segments are credentials (an export's download token, an OAuth interaction): never logged. */
const TOKEN_SEGMENT = /\/[A-Za-z0-9_-]{16,}(?=\/|$)/g;

/** The path alone: a query string may hold anything, and token-like segments are masked. */
export function loggablePath(url: string | undefined): string {
  return (url ?? '').split('?')[0].replace(TOKEN_SEGMENT, '/:token');
}

export function createRootLogger(settings: LogSettings): Logger {
  const destination =
    settings.destination ??
    (settings.json
      ? pino.destination(1)
      : pretty({ sync: true, ignore: 'context', messageFormat: '{if context}[{context}] {end}{msg}' }));
  return pino(
    {
      level: PINO_LEVELS[settings.level],
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      serializers: { err: serializeError },
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

/** The logger of the request being served, with its id bound; absent outside a request. */
const requestLogs = new AsyncLocalStorage<Logger>();

/**
 * First middleware of the app: gives each request its id (echoed in `x-request-id`), a logger
 * bound to it for everything logged while serving it, and one line when it completes.
 */
export function requestLogging(root: Logger): RequestHandler {
  const http = pinoHttp({
    logger: root,
    quietReqLogger: true,
    customAttributeKeys: { reqId: 'requestId' },
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const id = requestIdFor(req.headers[REQUEST_ID_HEADER]);
      res.setHeader(REQUEST_ID_HEADER, id);
      return id;
    },
    serializers: {
      req: (req: { method: string; url: string }) => ({ method: req.method, path: loggablePath(req.url) }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      err: serializeError,
    },
    // 5xx and the answers to errors are logged where they are understood (formatError, the exception filter).
    customLogLevel: (_req, res, error) => (res.statusCode >= 500 || error ? 'warn' : 'info'),
    customSuccessMessage: () => 'request completed',
    customErrorMessage: () => 'request failed',
  });
  return (req, res, next) => {
    http(req, res);
    requestLogs.run(req.log, next);
  };
}

/**
 * Nest's LoggerService over pino: every `new Logger(context)` in the code writes here, through the
 * current request's logger (so with its id) when there is one.
 */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly root: Logger) {}

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  /**
   * Nest passes its context (the logger's name) last, and for errors a stack before it:
   * `error(message, stack?, context?)`, or the Error itself as the message.
   */
  private write(level: Level, message: unknown, params: unknown[]): void {
    const logger = requestLogs.getStore() ?? this.root;
    if (!logger.isLevelEnabled(level)) return;
    const strings = params.filter((param): param is string => typeof param === 'string');
    const context = strings.length > 0 ? strings[strings.length - 1] : undefined;
    const stack = strings.length > 1 ? strings[0] : undefined;
    if (message instanceof Error) logger[level]({ context, err: message }, message.message);
    else logger[level]({ context, ...(stack && { stack }) }, typeof message === 'string' ? message : String(message));
  }
}
