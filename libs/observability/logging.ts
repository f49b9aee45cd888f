import { LoggerService } from '@nestjs/common';
import type { Request, RequestHandler, Response } from 'express';
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { pino, DestinationStream, Level, Logger } from 'pino';
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
function serializeError(error: unknown): Record<string, unknown> {
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

/**
 * Standard output, written 4 KB at a time and at least every second. Written line by line, the
 * `request completed` line of every request was a write of its own, handed to libuv's thread pool:
 * at LOG_LEVEL=info the server spent 8–13% more CPU per payment (two bench --compare runs at
 * info). What a kill -9 can lose is the last second's lines; an exit, even on a crash, writes them
 * out first (pino flushes on `exit`).
 */
export const STANDARD_OUTPUT_BUFFER = { minLength: 4096, periodicFlushMs: 1000 };

export function createRootLogger(settings: LogSettings): Logger {
  const destination =
    settings.destination ??
    (settings.json
      ? pino.destination({
          dest: 1,
          minLength: STANDARD_OUTPUT_BUFFER.minLength,
          periodicFlush: STANDARD_OUTPUT_BUFFER.periodicFlushMs,
        })
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

/**
 * The request being served: its id, and its logger, made on the first line logged while serving it
 * (most requests log nothing until they complete, and that line needs none).
 */
class RequestLog {
  private logger?: Logger;

  constructor(
    readonly root: Logger,
    readonly requestId: string,
  ) {}

  get log(): Logger {
    return (this.logger ??= this.root.child({ requestId: this.requestId }));
  }
}

/** The request being served; absent outside a request. */
const requestLogs = new AsyncLocalStorage<RequestLog>();

/**
 * One line when a request completes: `request completed` (info), or `request failed` (warn) for a
 * 5xx or a response that failed, with its method, path (loggablePath), status and time in ms.
 */
function logCompletion(root: Logger, requestId: string, req: Request, res: Response, ms: number, error?: Error): void {
  const failed = error !== undefined || res.statusCode >= 500;
  if (!root.isLevelEnabled(failed ? 'warn' : 'info')) return;
  const request = { method: req.method, path: loggablePath(req.originalUrl ?? req.url) };
  const response = { statusCode: res.statusCode };
  // Keys in the order pino-http wrote them, which the lines already shipped have.
  if (!failed) root.info({ requestId, req: request, res: response, responseTime: ms }, 'request completed');
  else {
    const err = error ?? new Error(`failed with status code ${res.statusCode}`);
    root.warn({ requestId, req: request, res: response, err, responseTime: ms }, 'request failed');
  }
}

/**
 * First middleware of the app: gives each request its id (echoed in `x-request-id`), which every
 * line logged while serving it carries, and one line when it completes. 5xx and the answers to
 * errors are logged where they are understood (formatError, the exception filter); this line says
 * only that the request failed. Nothing is made per request that a request logging nothing does
 * not need: this runs on every request, at every log level.
 */
export function requestLogging(root: Logger): RequestHandler {
  return (req, res, next) => {
    const started = Date.now();
    const requestLog = new RequestLog(root, requestIdFor(req.headers[REQUEST_ID_HEADER]));
    res.setHeader(REQUEST_ID_HEADER, requestLog.requestId);
    const completed = (error?: Error): void => {
      res.off('close', completed).off('finish', completed).off('error', completed);
      logCompletion(root, requestLog.requestId, req, res, Date.now() - started, error);
    };
    res.on('close', completed).on('finish', completed).on('error', completed);
    requestLogs.run(requestLog, next);
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
    const request = requestLogs.getStore();
    // A request's logger has its root's level: asking the root first makes no logger for a line not written.
    if (!(request?.root ?? this.root).isLevelEnabled(level)) return;
    const logger = request?.log ?? this.root;
    const strings = params.filter((param): param is string => typeof param === 'string');
    const context = strings.length > 0 ? strings[strings.length - 1] : undefined;
    const stack = strings.length > 1 ? strings[0] : undefined;
    if (message instanceof Error) logger[level]({ context, err: message }, message.message);
    else logger[level]({ context, ...(stack && { stack }) }, typeof message === 'string' ? message : String(message));
  }
}
