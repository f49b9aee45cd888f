import { ConfigError, loadConfig } from './app-config.js';

describe('loadConfig', () => {
  it('uses the embedded database with explorer and demo seed by default', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, dataDir: './.data', logLevel: 'info', graphqlExplorer: true, seedDemo: true, migrateOnStart: true });
    expect(config.usesEmbeddedDatabase).toBe(true);
  });

  it('turns the explorer off by default in production, and seeds nothing on an external database', () => {
    const config = loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://u@db:5432/pumasi' });
    expect(config).toMatchObject({ graphqlExplorer: false, seedDemo: false, usesEmbeddedDatabase: false });
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
    ['LOG_LEVEL', 'loud'],
    ['GRAPHQL_EXPLORER', 'maybe'],
    ['DB_POOL_SIZE', '0'],
    ['NODE_ENV', 'staging'],
    ['TRUST_PROXY', 'yes please!'],
  ])('refuses %s=%s with a message naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^Invalid configuration:\\n  ${name}: `));
  });
});
