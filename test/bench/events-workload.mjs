// The events workload of the benchmark (issue 12): SUBSCRIBERS members each follow their own account
// over graphql-ws (accountActivity) while single transfers run, so that the run shows what open
// subscriptions cost the payments (singleTps with and without them) and how soon an event reaches
// its subscriber: from the moment the payment's HTTP answer arrived (its transaction had committed)
// to the moment the subscriber receives it, both on this process's clock.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

export const SUBSCRIBERS = 1000;
/** Sockets opened at once while subscribing, so that the server is not asked for a thousand at the same instant. */
const OPENING_AT_ONCE = 50;
/** After the workload, how long deliveries still in flight may take before they count as missed. */
const SETTLE_MS = 3000;

const ACCOUNT_ACTIVITY = `subscription Follow($accountId: ID!) {
  accountActivity(accountId: $accountId) { transfer { id } }
}`;

/**
 * Opens a socket per account of `accounts` (as its holder) with one subscription each, and returns
 * what the workload needs: `committed(transferId, debitAccountId, creditAccountId)` to call when a
 * payment's answer arrives, `settle()` to wait for the last deliveries, `summary()`, and `close()`.
 */
export async function openSubscribers(origin, accounts, tokenOf, log) {
  const followed = new Set(accounts);
  const committedAt = new Map();
  const latencies = [];
  let expected = 0;
  let delivered = 0;
  let errors = 0;
  const clients = [];
  const url = `${origin.replace(/^http/, 'ws')}/graphql`;
  const started = performance.now();

  const receive = (transferId) => {
    const at = committedAt.get(transferId);
    delivered += 1;
    if (at !== undefined) latencies.push(performance.now() - at);
  };

  const subscribe = async (accountId) => {
    const client = createClient({
      url,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${tokenOf.get(accountId)}` },
      retryAttempts: 0,
      lazy: false,
      onNonLazyError: () => (errors += 1),
    });
    clients.push(client);
    await new Promise((opened) => {
      const off = client.on('connected', () => {
        off();
        opened();
      });
      client.subscribe(
        { query: ACCOUNT_ACTIVITY, variables: { accountId } },
        {
          next: ({ data, errors: failed }) => (failed ? (errors += 1) : receive(data.accountActivity.transfer.id)),
          error: () => (errors += 1),
          complete: () => undefined,
        },
      );
    });
  };
  for (let from = 0; from < accounts.length; from += OPENING_AT_ONCE)
    await Promise.all(accounts.slice(from, from + OPENING_AT_ONCE).map(subscribe));
  log(`events: ${accounts.length} subscribers connected in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  return {
    committed(transferId, debitAccountId, creditAccountId) {
      const deliveries = Number(followed.has(debitAccountId)) + Number(followed.has(creditAccountId));
      if (deliveries === 0) return;
      committedAt.set(transferId, performance.now());
      expected += deliveries;
    },
    async settle() {
      const until = performance.now() + SETTLE_MS;
      while (delivered < expected && performance.now() < until) await new Promise((done) => setTimeout(done, 50));
    },
    summary() {
      const sorted = Float64Array.from(latencies).sort();
      const at = (p) => (sorted.length === 0 ? null : sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]);
      return {
        subscribers: accounts.length,
        expected,
        delivered,
        missed: Math.max(0, expected - delivered),
        errors,
        deliveryP50Ms: at(50),
        deliveryP99Ms: at(99),
      };
    },
    async close() {
      await Promise.all(clients.map((client) => client.dispose()));
    },
  };
}
