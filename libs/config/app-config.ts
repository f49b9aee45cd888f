import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  validateSync,
  ValidateBy,
} from 'class-validator';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'verbose'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Environment variables accept the usual spellings of a yes/no switch; anything else is left to fail validation. */
function toBoolean({ value }: { value: unknown }): unknown {
  if (typeof value !== 'string') return value;
  const normalised = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(normalised)) return true;
  if (['false', '0', 'no', 'off'].includes(normalised)) return false;
  return value;
}

function toInteger({ value }: { value: unknown }): unknown {
  return typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
}

/** A URL that the WHATWG parser (and so pg and Express) accepts: a pattern alone lets `host:99999999` through to a retry loop at connect. */
function IsParsableUrl(message: string): PropertyDecorator {
  return ValidateBy({
    name: 'isParsableUrl',
    validator: { validate: (value) => typeof value === 'string' && URL.canParse(value), defaultMessage: () => message },
  });
}

/**
 * An origin exactly as a browser sends it in `Origin`, since origins are compared as strings:
 * http or https, host and port only (no path, not even a trailing slash), lower case, no default port.
 */
const isSerializedOrigin = (text: string): boolean =>
  /^https?:\/\//.test(text) && URL.canParse(text) && new URL(text).origin === text;

function IsOriginList(message: string): PropertyDecorator {
  return ValidateBy({
    name: 'isOriginList',
    validator: {
      validate: (value) =>
        typeof value === 'string' && value.split(',').every((item) => isSerializedOrigin(item.trim())),
      defaultMessage: () => message,
    },
  });
}

/** The raw variables, validated once at startup. Names match the environment so errors name the variable. */
class EnvironmentVariables {
  @IsOptional()
  @IsIn(['development', 'production', 'test'])
  NODE_ENV?: string;

  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT?: number;

  @IsOptional()
  @IsString()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgres:// URL' })
  @IsParsableUrl('DATABASE_URL is not a well-formed URL')
  DATABASE_URL?: string;

  @IsOptional()
  @IsString()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'MIGRATION_DATABASE_URL must be a postgres:// URL' })
  @IsParsableUrl('MIGRATION_DATABASE_URL is not a well-formed URL')
  MIGRATION_DATABASE_URL?: string;

  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'ALLOW_PRIVILEGED_DATABASE_USER must be true or false' })
  ALLOW_PRIVILEGED_DATABASE_USER?: boolean;

  @IsOptional()
  @IsString()
  DATA_DIR?: string;

  @IsOptional()
  @IsIn(LOG_LEVELS)
  LOG_LEVEL?: LogLevel;

  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'GRAPHQL_EXPLORER must be true or false' })
  GRAPHQL_EXPLORER?: boolean;

  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'SEED_DEMO must be true or false' })
  SEED_DEMO?: boolean;

  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'MIGRATE_ON_START must be true or false' })
  MIGRATE_ON_START?: boolean;

  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'BACKGROUND_JOBS must be on or off' })
  BACKGROUND_JOBS?: boolean;

  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(200)
  DB_POOL_SIZE?: number;

  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(65535)
  EMBEDDED_PG_PORT?: number;

  @IsOptional()
  @IsString()
  @Matches(/^https?:\/\/[^\s/?#@]+(\/[^\s?#]*)?$/, {
    message: 'PUBLIC_URL must be an http:// or https:// URL without credentials, query or fragment',
  })
  @IsParsableUrl('PUBLIC_URL is not a well-formed URL')
  PUBLIC_URL?: string;

  @IsOptional()
  @IsString()
  @IsOriginList('CORS_ORIGINS must be comma-separated origins such as https://app.example.org (no path, no slash)')
  CORS_ORIGINS?: string;

  @IsOptional()
  @IsString()
  @Matches(/^(true|false|\d{1,2}|[\w.:/, -]+)$/, {
    message: 'TRUST_PROXY must be true, false, a hop count, or addresses (Express "trust proxy")',
  })
  TRUST_PROXY?: string;

  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(100_000)
  RATE_LIMIT_ADDRESS_MULTIPLIER?: number;

  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(1000)
  LOGIN_FAILURES_PER_EMAIL_AND_ADDRESS?: number;

  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(100_000)
  LOGIN_FAILURES_PER_EMAIL?: number;

  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(600_000)
  DB_STATEMENT_TIMEOUT_MS?: number;

  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(100)
  @Max(600_000)
  DB_ACQUIRE_TIMEOUT_MS?: number;

  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(86_400_000)
  JOB_STATEMENT_TIMEOUT_MS?: number;

  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(600_000)
  REQUEST_TIMEOUT_MS?: number;

  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(200)
  HEAVY_READ_CONCURRENCY?: number;

  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(10_000)
  HEAVY_READ_QUEUE?: number;

  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  SHUTDOWN_GRACE_MS?: number;

  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1000)
  @Max(600_000)
  HTTP_KEEP_ALIVE_TIMEOUT_MS?: number;

  @IsOptional()
  @IsString()
  @Matches(/^[\x21-\x7e]{16,256}$/, {
    message: 'METRICS_TOKEN must be 16 to 256 visible ASCII characters (no spaces), e.g. from `openssl rand -hex 32`',
  })
  METRICS_TOKEN?: string;

  @IsOptional()
  @IsString()
  @Matches(/^nats:\/\/\S+$/, { message: 'NATS_URL must be a nats:// URL, e.g. nats://127.0.0.1:4222' })
  @IsParsableUrl('NATS_URL is not a well-formed URL')
  NATS_URL?: string;

  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(1000)
  SUBSCRIPTION_CONNECTIONS_PER_CALLER?: number;

  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(1000)
  SUBSCRIPTIONS_PER_CONNECTION?: number;

  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  SUBSCRIPTION_RECHECK_MS?: number;

  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(60_000)
  CREDENTIALS_CACHE_MS?: number;

  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'WEBHOOK_ALLOW_PRIVATE_TARGETS must be true or false' })
  WEBHOOK_ALLOW_PRIVATE_TARGETS?: boolean;

  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(100)
  WEBHOOK_CONCURRENCY?: number;

  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(100)
  @Max(60_000)
  WEBHOOK_TIMEOUT_MS?: number;

  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(10)
  @Max(86_400_000)
  WEBHOOK_RETRY_BASE_MS?: number;

  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(10)
  @Max(86_400_000)
  WEBHOOK_RETRY_MAX_MS?: number;

  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(2_592_000)
  WEBHOOK_DISABLE_AFTER_SECONDS?: number;

  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(2_592_000)
  WEBHOOK_SECRET_GRACE_SECONDS?: number;
}

export class ConfigError extends Error {}

/** What an operator may tune about rate limits; the limits themselves are in src/access/rate-limits.ts. */
export interface RateLimitSettings {
  /** Multiplies every per-address limit: for members who share one address (a library, a campus or carrier NAT). */
  addressMultiplier: number;
  /** Wrong passwords for one email from one address, per 15 minutes, before that address must wait to try that email. */
  loginFailuresPerEmailAndAddress: number;
  /** Wrong passwords for one email from anywhere, per hour, before every login of that email must wait (a slow, distributed guess). */
  loginFailuresPerEmail: number;
}

/**
 * How long the service waits before it gives up and answers SERVICE_UNAVAILABLE (docs/operations.md,
 * "Failing well"). Milliseconds; 0 turns a limit off where the variable allows it.
 */
export interface ResilienceSettings {
  /** PostgreSQL's statement_timeout on the service's connections: a request's statement that runs longer is cancelled (and its transaction rolled back). */
  statementTimeoutMs: number;
  /** How long a request waits for a free connection of the pool, or for a new one to open. */
  acquireTimeoutMs: number;
  /** statement_timeout for long work that is no request's: verification runs, the hash chain, export downloads. 0: none. */
  jobStatementTimeoutMs: number;
  /** An HTTP request not answered by then gets 503 SERVICE_UNAVAILABLE; its work may still finish (retry with the same idempotency key). */
  requestTimeoutMs: number;
  /** Heavy reads (reports, statements, statistics, risk signals) run at most this many at once, so that payments keep the rest of the pool. */
  heavyReadConcurrency: number;
  /** Heavy reads that may wait for a turn; beyond that they are refused at once with SERVICE_UNAVAILABLE. */
  heavyReadQueue: number;
  /** On SIGTERM, how long requests in flight (downloads included) may take to finish while new ones are refused. */
  shutdownGraceMs: number;
  /**
   * How long an idle keep-alive connection stays open. Longer than any client's or load balancer's
   * own idle timeout, so that they, never the server, close it: a connection the server closes
   * just as a client reuses it fails that client's request (ECONNRESET, or a proxy's 502).
   */
  keepAliveTimeoutMs: number;
}

/** Subscriptions over WebSocket and how replicas tell each other of new events (docs/operations.md, "Real time"). */
export interface RealtimeSettings {
  /** Set: replicas announce published events through NATS JetStream; unset, through PostgreSQL's LISTEN/NOTIFY. */
  natsUrl: string | undefined;
  /** Open subscription sockets per member (or partner app) on one replica; one more is refused at connection_init. */
  connectionsPerCaller: number;
  /** Subscriptions at once on one socket; one more is refused with TOO_MANY_SUBSCRIPTIONS. */
  subscriptionsPerConnection: number;
  /** How often each socket's credentials are checked again: a revoked session or key, or an expired token, closes it (4401). */
  recheckMs: number;
}

/** How webhooks are delivered (docs/operations.md, "Configuration"; docs/partners.md, "Your first webhook"). */
export interface WebhookSettings {
  /** Deliver also to private, loopback and link-local addresses: for tests and closed networks only, as it opens the service to SSRF. */
  allowPrivateTargets: boolean;
  /** Deliveries in flight at once, per replica. */
  concurrency: number;
  /** How long one delivery may take, connection and response together, before it counts as failed. */
  timeoutMs: number;
  /** The first retry's delay; each further one doubles, up to `retryMaxMs`, each with jitter. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** An endpoint whose deliveries have failed for this long, without a success between, is disabled. */
  disableAfterSeconds: number;
  /** After a secret's rotation, deliveries are signed with the old secret too for this long. */
  secretGraceSeconds: number;
}

/** Typed, validated settings. Built once by `loadConfig` and injected as a provider. */
export class AppConfig {
  constructor(
    readonly nodeEnv: string,
    readonly port: number,
    /** Absent means: run the embedded PostgreSQL under `dataDir`. */
    readonly databaseUrl: string | undefined,
    readonly dataDir: string,
    readonly logLevel: LogLevel,
    readonly graphqlExplorer: boolean,
    readonly seedDemo: boolean,
    readonly migrateOnStart: boolean,
    readonly dbPoolSize: number,
    readonly embeddedPgPort: number | undefined,
    /** Express's "trust proxy": which proxies' X-Forwarded-For to believe, so that rate limits see the client's address. */
    readonly trustProxy: boolean | number | string,
    /** Where clients reach this service: links it hands out (exports) are built on it, never on a request's Host header. */
    readonly publicUrl: string,
    readonly rateLimits: RateLimitSettings,
    /** Web origins besides PUBLIC_URL's whose pages may call the API (CORS), e.g. a partner's web app. */
    readonly corsOrigins: readonly string[],
    /**
     * Whether this process runs the periodic jobs (hold expiry, exchange timeouts, scheduled
     * verification, the chainer, export links). Off, each job still runs when its `sweep()` is
     * called: tests do so when they mean it, instead of racing a timer over the same rows.
     */
    readonly backgroundJobs: boolean,
    readonly resilience: ResilienceSettings,
    /** The bearer token a scraper sends for /metrics; unset, /metrics is not served at all. */
    readonly metricsToken: string | undefined,
    /** Where migrations run: the tables' owner. Unset, DATABASE_URL's role (which must then be allowed to be privileged). */
    readonly migrationDatabaseUrl: string | undefined,
    /** Start even when DATABASE_URL's role is a superuser or owns the tables (docs/operations.md, "Database roles"). */
    readonly allowPrivilegedDatabaseUser: boolean,
    readonly realtime: RealtimeSettings,
    readonly webhooks: WebhookSettings,
    /**
     * How long an access token's session may be served from memory (0: read every time). Changes
     * to credentials reach every replica at once through LISTEN/NOTIFY; this bounds the rest.
     */
    readonly credentialsCacheMs: number,
  ) {}

  get usesEmbeddedDatabase(): boolean {
    return this.databaseUrl === undefined;
  }

  /** The same settings pointing at another database (the embedded one, once it runs): the service's role, and the owner's. */
  withDatabaseUrl(databaseUrl: string, migrationDatabaseUrl = this.migrationDatabaseUrl): AppConfig {
    return Object.assign(Object.create(AppConfig.prototype), this, { databaseUrl, migrationDatabaseUrl }) as AppConfig;
  }
}

/** The `user:password@` of a URL (well-formed or not), as it may be written in a log or a terminal. */
const URL_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@/\s]*@/gi;

/** Masks every URL password in a text: a refused setting is echoed so the operator can fix it, never its secret. */
export function redactSecrets(text: string): string {
  return text.replace(URL_PASSWORD, '$1***@');
}

/** Variables that are secrets whole: a refused value is not echoed at all. */
const SECRET_VARIABLES = new Set(['METRICS_TOKEN']);

function describe(errors: ReturnType<typeof validateSync>): string {
  return errors
    .map(
      (error) =>
        `${error.property}: ${Object.values(error.constraints ?? {}).join('; ')} (got ${SECRET_VARIABLES.has(error.property) ? '***' : redactSecrets(JSON.stringify(error.value))})`,
    )
    .join('\n  ');
}

function toTrustProxy(value: string | undefined): boolean | number | string {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  return /^\d+$/.test(value) ? Number(value) : value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const vars = plainToInstance(EnvironmentVariables, present, { excludeExtraneousValues: false });
  const errors = validateSync(vars, { skipMissingProperties: false, forbidUnknownValues: false });
  if (errors.length > 0) throw new ConfigError(`Invalid configuration:\n  ${describe(errors)}`);

  const poolSize = vars.DB_POOL_SIZE ?? 10;
  if (vars.HEAVY_READ_CONCURRENCY !== undefined && vars.HEAVY_READ_CONCURRENCY >= poolSize)
    throw new ConfigError(
      `Invalid configuration:\n  HEAVY_READ_CONCURRENCY must be below DB_POOL_SIZE (${poolSize}), or heavy reads could take every connection (got ${vars.HEAVY_READ_CONCURRENCY})`,
    );
  const production = vars.NODE_ENV === 'production';
  const embedded = vars.DATABASE_URL === undefined;
  const port = vars.PORT ?? 3000;
  return new AppConfig(
    vars.NODE_ENV ?? 'development',
    port,
    vars.DATABASE_URL,
    vars.DATA_DIR ?? './.data',
    vars.LOG_LEVEL ?? 'info',
    vars.GRAPHQL_EXPLORER ?? !production,
    // Demo data (and the logins it prints) only where a newcomer explores, or where asked for.
    vars.SEED_DEMO ?? (embedded && !production),
    vars.MIGRATE_ON_START ?? true,
    poolSize,
    vars.EMBEDDED_PG_PORT,
    toTrustProxy(vars.TRUST_PROXY),
    (vars.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, ''),
    {
      addressMultiplier: vars.RATE_LIMIT_ADDRESS_MULTIPLIER ?? 1,
      loginFailuresPerEmailAndAddress: vars.LOGIN_FAILURES_PER_EMAIL_AND_ADDRESS ?? 5,
      loginFailuresPerEmail: vars.LOGIN_FAILURES_PER_EMAIL ?? 50,
    },
    vars.CORS_ORIGINS?.split(',').map((origin) => origin.trim()) ?? [],
    vars.BACKGROUND_JOBS ?? true,
    {
      statementTimeoutMs: vars.DB_STATEMENT_TIMEOUT_MS ?? 5000,
      acquireTimeoutMs: vars.DB_ACQUIRE_TIMEOUT_MS ?? 3000,
      jobStatementTimeoutMs: vars.JOB_STATEMENT_TIMEOUT_MS ?? 0,
      requestTimeoutMs: vars.REQUEST_TIMEOUT_MS ?? 15_000,
      // A quarter of the pool (at least one): the rest stays free for payments and everything light.
      heavyReadConcurrency: vars.HEAVY_READ_CONCURRENCY ?? Math.max(1, Math.floor(poolSize / 4)),
      heavyReadQueue: vars.HEAVY_READ_QUEUE ?? 50,
      shutdownGraceMs: vars.SHUTDOWN_GRACE_MS ?? 30_000,
      // Above the 60 s idle timeout of common load balancers (AWS ALB, nginx's upstream keep-alive).
      keepAliveTimeoutMs: vars.HTTP_KEEP_ALIVE_TIMEOUT_MS ?? 65_000,
    },
    vars.METRICS_TOKEN,
    vars.MIGRATION_DATABASE_URL,
    vars.ALLOW_PRIVILEGED_DATABASE_USER ?? false,
    {
      natsUrl: vars.NATS_URL,
      connectionsPerCaller: vars.SUBSCRIPTION_CONNECTIONS_PER_CALLER ?? 10,
      subscriptionsPerConnection: vars.SUBSCRIPTIONS_PER_CONNECTION ?? 20,
      recheckMs: vars.SUBSCRIPTION_RECHECK_MS ?? 15_000,
    },
    {
      allowPrivateTargets: vars.WEBHOOK_ALLOW_PRIVATE_TARGETS ?? false,
      concurrency: vars.WEBHOOK_CONCURRENCY ?? 4,
      timeoutMs: vars.WEBHOOK_TIMEOUT_MS ?? 10_000,
      retryBaseMs: vars.WEBHOOK_RETRY_BASE_MS ?? 10_000,
      retryMaxMs: vars.WEBHOOK_RETRY_MAX_MS ?? 3_600_000,
      disableAfterSeconds: vars.WEBHOOK_DISABLE_AFTER_SECONDS ?? 86_400,
      secretGraceSeconds: vars.WEBHOOK_SECRET_GRACE_SECONDS ?? 86_400,
    },
    vars.CREDENTIALS_CACHE_MS ?? 60_000,
  );
}

/** For entry points: a bad variable stops the process with a message naming it, and no stack trace. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): AppConfig {
  try {
    return loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(78); // EX_CONFIG
  }
}
