import { ConfigError, loadConfig } from './app-config.js';

describe('loadConfig', () => {
  it('uses the embedded database with explorer and demo seed by default', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      dataDir: './.data',
      logLevel: 'info',
      graphqlExplorer: true,
      seedDemo: true,
      migrateOnStart: true,
    });
    expect(config.usesEmbeddedDatabase).toBe(true);
  });

  it('turns the explorer off by default in production, and seeds nothing on an external database', () => {
    const config = loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://u@db:5432/pumasi' });
    expect(config).toMatchObject({ graphqlExplorer: false, seedDemo: false, usesEmbeddedDatabase: false });
  });

  it('seeds no demo data in production, even on the embedded database, unless SEED_DEMO=true asks for it', () => {
    expect(loadConfig({ NODE_ENV: 'production' })).toMatchObject({ seedDemo: false, usesEmbeddedDatabase: true });
    expect(loadConfig({ NODE_ENV: 'production', SEED_DEMO: 'true' }).seedDemo).toBe(true);
  });

  it('never echoes the password of a URL it refuses', () => {
    const refusal = (): unknown =>
      loadConfig({
        DATABASE_URL: 'postgres://pumasi:s3cret-pw@db host:5432/pumasi',
        PUBLIC_URL: 'ftp://ops:hunter22@files.example',
      });
    expect(refusal).toThrow(ConfigError);
    expect(refusal).toThrow(/DATABASE_URL: .*postgres:\/\/pumasi:\*\*\*@db host/);
    expect(refusal).toThrow(/PUBLIC_URL: .*ftp:\/\/ops:\*\*\*@files\.example/);
    expect(refusal).not.toThrow(/s3cret-pw|hunter22/);
  });

  it('builds links from PUBLIC_URL, by default the local server on PORT', () => {
    expect(loadConfig({}).publicUrl).toBe('http://localhost:3000');
    expect(loadConfig({ PORT: '8080' }).publicUrl).toBe('http://localhost:8080');
    expect(loadConfig({ PUBLIC_URL: 'https://pumasi.example/timebank/' }).publicUrl).toBe(
      'https://pumasi.example/timebank',
    );
  });

  it('reads CORS_ORIGINS as a list of exact origins, none by default', () => {
    expect(loadConfig({}).corsOrigins).toEqual([]);
    expect(loadConfig({ CORS_ORIGINS: 'https://app.example, http://localhost:5173' }).corsOrigins).toEqual([
      'https://app.example',
      'http://localhost:5173',
    ]);
  });

  it('runs the background jobs unless BACKGROUND_JOBS switches them off', () => {
    expect(loadConfig({}).backgroundJobs).toBe(true);
    expect(loadConfig({ BACKGROUND_JOBS: 'off' }).backgroundJobs).toBe(false);
    expect(loadConfig({ BACKGROUND_JOBS: 'on' }).backgroundJobs).toBe(true);
  });

  it('lets the explorer be switched on explicitly in production', () => {
    expect(loadConfig({ NODE_ENV: 'production', GRAPHQL_EXPLORER: 'true' }).graphqlExplorer).toBe(true);
  });

  it.each([
    [undefined, false],
    ['true', true],
    ['1', 1],
    ['loopback, 10.0.0.0/8', 'loopback, 10.0.0.0/8'],
  ])('reads TRUST_PROXY=%s as Express expects it', (value, expected) => {
    expect(loadConfig(value === undefined ? {} : { TRUST_PROXY: value }).trustProxy).toEqual(expected);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://localhost/db'],
    ['DATABASE_URL', 'postgres://pumasi@db.example:99999999/pumasi'],
    ['PUBLIC_URL', 'https://pumasi.example:99999999'],
    ['LOG_LEVEL', 'loud'],
    ['GRAPHQL_EXPLORER', 'maybe'],
    ['BACKGROUND_JOBS', 'paused'],
    ['DB_POOL_SIZE', '0'],
    ['NODE_ENV', 'staging'],
    ['TRUST_PROXY', 'yes please!'],
    ['PUBLIC_URL', 'pumasi.example'],
    ['PUBLIC_URL', 'https://pumasi.example/?next=1'],
    // An origin is compared as the browser writes it, so only that exact form is accepted.
    ['CORS_ORIGINS', '*'],
    ['CORS_ORIGINS', 'https://app.example/'],
    ['CORS_ORIGINS', 'https://App.example'],
    ['CORS_ORIGINS', 'https://app.example:443'],
    ['CORS_ORIGINS', 'app.example'],
    ['CORS_ORIGINS', 'https://app.example,'],
    ['DB_STATEMENT_TIMEOUT_MS', '-1'],
    ['DB_ACQUIRE_TIMEOUT_MS', '0'],
    ['REQUEST_TIMEOUT_MS', '5s'],
    ['JOB_STATEMENT_TIMEOUT_MS', '1.5'],
    ['HEAVY_READ_CONCURRENCY', '0'],
    ['HEAVY_READ_QUEUE', '-3'],
    ['SHUTDOWN_GRACE_MS', 'forever'],
  ])('refuses %s=%s with a message naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^Invalid configuration:\\n  ${name}: `));
  });

  it('fails fast by default: seconds for a statement, a connection and a request; no limit on jobs', () => {
    expect(loadConfig({}).resilience).toEqual({
      statementTimeoutMs: 5000,
      acquireTimeoutMs: 3000,
      jobStatementTimeoutMs: 0,
      requestTimeoutMs: 15_000,
      heavyReadConcurrency: 2,
      heavyReadQueue: 50,
      shutdownGraceMs: 30_000,
      keepAliveTimeoutMs: 65_000,
    });
    expect(loadConfig({ DB_POOL_SIZE: '40' }).resilience.heavyReadConcurrency).toBe(10);
    expect(loadConfig({ DB_POOL_SIZE: '2' }).resilience.heavyReadConcurrency).toBe(1);
  });

  it('refuses a heavy-read lane as wide as the pool, which would let reports take every connection', () => {
    expect(() => loadConfig({ DB_POOL_SIZE: '4', HEAVY_READ_CONCURRENCY: '4' })).toThrow(
      /HEAVY_READ_CONCURRENCY must be below DB_POOL_SIZE \(4\)/,
    );
    expect(loadConfig({ DB_POOL_SIZE: '4', HEAVY_READ_CONCURRENCY: '3' }).resilience.heavyReadConcurrency).toBe(3);
  });

  it('sends webhooks to public addresses only, four at a time, disabling an endpoint after a day of failures, by default', () => {
    expect(loadConfig({}).webhooks).toEqual({
      allowPrivateTargets: false,
      concurrency: 4,
      timeoutMs: 10_000,
      retryBaseMs: 10_000,
      retryMaxMs: 3_600_000,
      disableAfterSeconds: 86_400,
      secretGraceSeconds: 86_400,
    });
    expect(loadConfig({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' }).webhooks.allowPrivateTargets).toBe(true);
    expect(() => loadConfig({ WEBHOOK_CONCURRENCY: '0' })).toThrow(/WEBHOOK_CONCURRENCY/);
    expect(() => loadConfig({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'maybe' })).toThrow(/WEBHOOK_ALLOW_PRIVATE_TARGETS/);
  });
});
