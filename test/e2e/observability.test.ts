import { randomUUID } from 'node:crypto';
import { ErrorCode } from '../../libs/graphql/error-code.js';
import { createLedgerFixture } from '../support/ledger-fixture.js';
import { expectLedgerInvariants, startTestApp, TestApp, testDatabaseUrl } from '../support/test-app.js';
import { ownerQuery } from '../support/test-database.js';
import { LOGIN } from './auth-client.js';
import { createTransfer, transferInput } from './graphql-client.js';

const METRICS_TOKEN = 'metrics-token-for-the-tests-0123456789';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Every line the app logged, parsed: the app writes JSON lines to the destination a test gives it. */
interface LogLine {
  level: number;
  msg: string;
  requestId?: string;
  context?: string;
  err?: { type: string; message: string; stack: string };
  [key: string]: unknown;
}

function logCapture(): { lines: LogLine[]; raw: string[]; destination: { write(line: string): void } } {
  const lines: LogLine[] = [];
  const raw: string[] = [];
  return {
    lines,
    raw,
    destination: {
      write(line: string) {
        raw.push(line);
        lines.push(JSON.parse(line) as LogLine);
      },
    },
  };
}

/** The value of one series in a Prometheus text exposition, or undefined when absent. */
function sample(exposition: string, series: string): number | undefined {
  const line = exposition.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function scrape(t: TestApp, authorization?: string): Promise<Response> {
  return fetch(`${t.url}/metrics`, { headers: authorization ? { authorization } : {} });
}

async function metricsText(t: TestApp): Promise<string> {
  const response = await scrape(t, `Bearer ${METRICS_TOKEN}`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return response.text();
}

/** Posts a GraphQL body with the given headers, returning the response (its headers matter here). */
function post(t: TestApp, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${t.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

/** The log lines written while `request` ran: only this test's request runs meanwhile. */
async function linesDuring(capture: { lines: LogLine[] }, request: () => Promise<Response>) {
  const before = capture.lines.length;
  const response = await request();
  const text = await response.text();
  // The completion line is written when the response ends, which the client may see first.
  await new Promise((done) => setTimeout(done, 50));
  return { response, text, lines: capture.lines.slice(before), requestId: response.headers.get('x-request-id') };
}

describe('operating the service: metrics, request ids and logs, security headers, GraphiQL', () => {
  const capture = logCapture();
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp(4, undefined, { METRICS_TOKEN, LOG_LEVEL: 'info' }, { logDestination: capture.destination });
  });
  afterEach(async () => expectLedgerInvariants(t.dataSource));
  afterAll(async () => t?.close());

  describe('/metrics', () => {
    it('counts transfers by outcome and GraphQL requests by operation and outcome', async () => {
      const fixture = await createLedgerFixture(t, [{ balance: 100n }, { balance: 0n }]);
      const [payer, payee] = fixture.members;
      const before = await metricsText(t);

      const paid = transferInput(payer.id, payee.id, '30');
      expect(await createTransfer(fixture.as(payer), paid)).toMatchObject({ replayed: false, userErrors: [] });
      expect(await createTransfer(fixture.as(payer), paid)).toMatchObject({ replayed: true, userErrors: [] });
      const refused = await createTransfer(fixture.as(payer), transferInput(payer.id, payee.id, '1000'));
      expect(refused.userErrors).toHaveLength(1);
      const refusalCode = refused.userErrors[0].code;
      await post(t, { query: '{ viewer { kind } }' });
      await post(t, { query: '{ nonsense' });
      const longName = `Q${'x'.repeat(70)}`;
      await post(t, { query: `query ${longName} { viewer { kind } }` });

      const after = await metricsText(t);
      const delta = (series: string) => (sample(after, series) ?? 0) - (sample(before, series) ?? 0);
      expect(delta('pumasi_ledger_transfers_total{outcome="posted",code="none"}')).toBe(1);
      expect(delta('pumasi_ledger_transfers_total{outcome="replayed",code="none"}')).toBe(1);
      expect(delta(`pumasi_ledger_transfers_total{outcome="refused",code="${refusalCode}"}`)).toBe(1);
      const requests = (operation: string, outcome: string) =>
        delta(`pumasi_graphql_request_duration_seconds_count{operation="${operation}",outcome="${outcome}"}`);
      expect(requests('CreateTransfer', 'ok')).toBe(2);
      expect(requests('CreateTransfer', 'user_error')).toBe(1);
      expect(requests('anonymous', 'ok')).toBe(1);
      expect(requests('unknown', ErrorCode.GRAPHQL_PARSE_FAILED)).toBe(1);
      // A client's names are bounded: an ill-formed (overlong) one is "other", never a series of its own.
      expect(requests('other', 'ok')).toBe(1);
      expect(after).not.toContain(longName);
      expect(
        sample(
          after,
          'pumasi_graphql_request_duration_seconds_bucket{le="+Inf",operation="CreateTransfer",outcome="ok"}',
        ),
      ).toBeGreaterThanOrEqual(2);
    });

    it('shows the pool, the background jobs and the process', async () => {
      const text = await metricsText(t);
      expect(sample(text, 'pumasi_db_pool_max_connections')).toBe(4);
      expect(sample(text, 'pumasi_db_pool_connections')).toBeGreaterThanOrEqual(1);
      expect(sample(text, 'pumasi_db_pool_idle_connections')).toBeGreaterThanOrEqual(0);
      expect(sample(text, 'pumasi_db_pool_waiting_requests')).toBe(0);
      // The jobs are off in tests: transfers made so far wait for the chain, and their events for publishing.
      expect(sample(text, 'pumasi_chain_lag_transfers')).toBeGreaterThan(0);
      expect(sample(text, 'pumasi_outbox_backlog_events')).toBeGreaterThanOrEqual(0);
      expect(sample(text, 'pumasi_outbox_oldest_unpublished_age_seconds')).toBeGreaterThanOrEqual(0);
      expect(sample(text, 'pumasi_verification_failures_unacknowledged')).toBe(0);
      expect(text).toMatch(/^pumasi_checkpoint_age_seconds \S+$/m);
      expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
      expect(text).toMatch(/^nodejs_heap_size_used_bytes \d/m);
    });

    it('refuses a scrape without the token, or with another', async () => {
      for (const authorization of [undefined, `Bearer ${METRICS_TOKEN}x`, METRICS_TOKEN, `Basic ${METRICS_TOKEN}`]) {
        const response = await scrape(t, authorization);
        expect(response.status).toBe(401);
        expect(response.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
        expect(await response.text()).not.toContain('pumasi_');
      }
    });
  });

  describe('request ids and logs', () => {
    it('gives each request an id, echoed in x-request-id and on every line logged for it', async () => {
      const { response, lines, requestId } = await linesDuring(capture, () =>
        post(t, { query: '{ viewer { kind } }' }),
      );
      expect(response.status).toBe(200);
      expect(requestId).toMatch(UUID);
      expect(lines.length).toBeGreaterThanOrEqual(1);
      expect(lines.every((line) => line.requestId === requestId)).toBe(true);
      expect(lines.at(-1)).toMatchObject({ msg: 'request completed', req: { method: 'POST', path: '/graphql' } });
    });

    it("keeps a client's sane request id, and replaces one that is too long or could forge a log line", async () => {
      const sane = `client-${randomUUID()}`;
      const honoured = await linesDuring(capture, () =>
        post(t, { query: '{ viewer { kind } }' }, { 'x-request-id': sane }),
      );
      expect(honoured.requestId).toBe(sane);
      expect(honoured.lines.every((line) => line.requestId === sane)).toBe(true);

      for (const hostile of [
        'a'.repeat(129),
        'id"} {"level":60,"msg":"forged',
        'tab\there',
        'x'.repeat(20) + '\u00e9',
      ]) {
        const replaced = await linesDuring(capture, () =>
          post(t, { query: '{ viewer { kind } }' }, { 'x-request-id': hostile }),
        );
        expect(replaced.requestId).toMatch(UUID);
        expect(replaced.lines.every((line) => line.requestId === replaced.requestId)).toBe(true);
        expect(replaced.lines.some((line) => JSON.stringify(line).includes('forged'))).toBe(false);
      }
    });

    it('logs an unexpected error once, with its request id, and without the password, token or SQL parameters', async () => {
      const password = `Sup3r-secret-${randomUUID()}`;
      const email = `someone-${randomUUID()}@test.example`;
      const token = `pa_${randomUUID()}`;
      // A missing table makes the login's query fail as no client input could: an internal error.
      await ownerQuery(testDatabaseUrl(), 'ALTER TABLE members RENAME TO members_hidden');
      let failed;
      try {
        failed = await linesDuring(capture, () =>
          post(t, { query: LOGIN, variables: { input: { email, password } } }, { cookie: `session=${token}` }),
        );
      } finally {
        await ownerQuery(testDatabaseUrl(), 'ALTER TABLE members_hidden RENAME TO members');
      }
      expect(JSON.parse(failed.text).errors[0].extensions.code).toBe(ErrorCode.INTERNAL_SERVER_ERROR);
      const errors = failed.lines.filter((line) => line.level >= 50);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ requestId: failed.requestId, context: 'GraphQL' });
      expect(errors[0]).toMatchObject({
        msg: 'relation "members" does not exist',
        err: { type: 'QueryFailedError', message: 'relation "members" does not exist' },
      });
      expect(errors[0].err!.stack).toContain('IdentityRepository');
      expect(failed.lines.every((line) => line.requestId === failed.requestId)).toBe(true);
      const written = failed.lines.map((line) => JSON.stringify(line)).join('\n');
      for (const secret of [password, email, token]) expect(written).not.toContain(secret);

      // An invalid bearer token is refused, and its line does not quote it either.
      const refused = await linesDuring(capture, () =>
        post(t, { query: '{ viewer { kind } }' }, { authorization: `Bearer ${token}` }),
      );
      expect(refused.lines.length).toBeGreaterThanOrEqual(1);
      expect(refused.lines.map((line) => JSON.stringify(line)).join('\n')).not.toContain(token);
    });

    it('masks tokens in logged paths and never logs a query string', async () => {
      const secret = 'AbCdEfGhIjKlMnOpQrStUvWxYz012345';
      const { lines } = await linesDuring(capture, () => fetch(`${t.url}/exports/${secret}?code=${secret}`));
      expect(lines.at(-1)).toMatchObject({ req: { method: 'GET', path: '/exports/:token' } });
      expect(JSON.stringify(lines)).not.toContain(secret);
    });
  });

  describe('HTTP hygiene', () => {
    const SECURITY_HEADERS = {
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'SAMEORIGIN',
      'referrer-policy': 'no-referrer',
      'strict-transport-security': expect.stringMatching(/^max-age=\d+/),
      'content-security-policy': expect.stringContaining("frame-ancestors 'none'"),
      'x-request-id': expect.stringMatching(UUID),
    };

    it('sends security headers with /graphql and /health', async () => {
      for (const response of [await post(t, { query: '{ viewer { kind } }' }), await fetch(`${t.url}/health`)]) {
        expect(response.status).toBe(200);
        expect(Object.fromEntries(response.headers)).toMatchObject(SECURITY_HEADERS);
        expect(response.headers.get('x-powered-by')).toBeNull();
      }
    });

    it('serves GraphiQL and all its files from this server, none from elsewhere', async () => {
      const page = await fetch(`${t.url}/graphql`, { headers: { accept: 'text/html' } });
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('<div id="graphiql"');
      expect(html).not.toMatch(/(https?:)?\/\/[a-z]/i);
      const csp = page.headers.get('content-security-policy')!;
      expect(csp).toContain("script-src 'self'");
      const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
      expect(assets).toEqual(
        expect.arrayContaining([
          '/graphiql/graphiql.css',
          '/graphiql/react.js',
          '/graphiql/react-dom.js',
          '/graphiql/graphiql.js',
          '/graphiql/start.js',
        ]),
      );
      for (const asset of assets) {
        const response = await fetch(`${t.url}${asset}`);
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toMatch(
          asset.endsWith('.css') ? /^text\/css/ : /^text\/javascript/,
        );
        expect((await response.text()).length).toBeGreaterThan(asset.endsWith('start.js') ? 50 : 10_000);
      }
    });
  });
});

describe('/metrics without METRICS_TOKEN', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(2);
  });
  afterAll(async () => t?.close());

  it('is not served at all', async () => {
    const response = await fetch(`${t.url}/metrics`);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('pumasi_');
  });
});

describe('GraphiQL in production', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(2, undefined, { NODE_ENV: 'production', GRAPHQL_EXPLORER: '' });
  });
  afterAll(async () => t?.close());

  it('is off by default, with its files', async () => {
    const page = await fetch(`${t.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toContain('graphiql');
    expect((await fetch(`${t.url}/graphiql/graphiql.js`)).status).toBe(404);
  });
});
