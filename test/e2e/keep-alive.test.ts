import { request, Agent } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { useTestApp } from '../support/test-app.js';

/** One GET on `agent`'s connection; the local port it went out from, which names the connection. */
function get(url: string, agent: Agent): Promise<{ status: number; localPort: number }> {
  return new Promise((done, fail) => {
    const outgoing = request(`${url}/health/live`, { agent }, (response) => {
      response.resume();
      response.on('end', () => done({ status: response.statusCode!, localPort: outgoing.socket!.localPort! }));
    });
    outgoing.on('error', fail);
    outgoing.end();
  });
}

/**
 * Idle keep-alive connections stay open longer than clients and load balancers keep theirs
 * (HTTP_KEEP_ALIVE_TIMEOUT_MS, 65 s): Node's default of 5 s closed them under clients that were
 * about to reuse them, failing a request with ECONNRESET (a proxy answers 502).
 */
describe('keep-alive connections', () => {
  const t = useTestApp();

  it('serves a connection left idle for 8 s, past Node’s default of 5', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const first = await get(t.url, agent);
      await sleep(8_000);
      const second = await get(t.url, agent);
      expect([first.status, second.status]).toEqual([200, 200]);
      expect(second.localPort).toBe(first.localPort);
    } finally {
      agent.destroy();
    }
  });
});
