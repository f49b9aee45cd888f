// Closed-loop load for the benchmark (bench.mjs) and the scale check (scale.mjs): concurrent
// clients each running an operation again and again, measured over a window after a warm-up, with
// the CPU shares of the load generator, the server and the machine; and the GraphQL client they use.
import { readFileSync } from 'node:fs';
import http from 'node:http';

export function round(value, digits) {
  return value === null || value === undefined || !Number.isFinite(value) ? null : Number(value.toFixed(digits));
}

/**
 * The workload runner for one run: `timing` is { warmupMs, measureMs }, `log` tells progress,
 * `stopped()` ends every loop early (an interrupted run).
 */
export function createWorkloads({ timing, log, stopped }) {
  /**
   * Runs `operation` in `clients` concurrent loops: a warm-up, then a measured window. Only the
   * operations that finish inside the window count, so successes / window length is the rate.
   * `operation` resolves to { ok, refused: [codes], errors: [codes] } and never throws.
   */
  async function runWorkload(name, { clients, operation, serverPids }) {
    log(`${name}: ${clients} clients, ${timing.warmupMs / 1000} s warm-up + ${timing.measureMs / 1000} s`);
    const tally = { ok: 0, requests: 0, refused: new Map(), errors: new Map(), latencies: [] };
    const measureFrom = performance.now() + timing.warmupMs;
    const measureUntil = measureFrom + timing.measureMs;
    const loop = async () => {
      while (performance.now() < measureUntil && !stopped()) {
        const began = performance.now();
        const outcome = await operation();
        const ended = performance.now();
        if (ended >= measureFrom && ended <= measureUntil) addOutcome(tally, outcome, ended - began);
      }
    };
    let cpuAtStart;
    const cpuTimer = setTimeout(() => (cpuAtStart = cpuSample(serverPids)), timing.warmupMs);
    await Promise.all(Array.from({ length: clients }, loop));
    clearTimeout(cpuTimer);
    return summarize(
      name,
      clients,
      tally,
      cpuAtStart && cpuShares(cpuAtStart, cpuSample(serverPids)),
      timing.measureMs,
    );
  }

  return { runWorkload };
}

/**
 * CPU time so far of this process, of the servers (summed) and of the whole machine. On a small machine the
 * load generator, the server and PostgreSQL share the cores, and these shares say who was busy.
 */
function cpuSample(serverPids = []) {
  const ticks = (line) => line.trim().split(/\s+/).slice(1).map(Number); // /proc/stat: user nice system idle iowait ...
  const machine = ticks(readFileSync('/proc/stat', 'utf8').split('\n')[0]);
  let server = 0;
  for (const pid of serverPids) {
    try {
      // /proc/<pid>/stat: "pid (comm) state ..."; utime and stime are the 12th and 13th fields after the ')'.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      server += Number(fields[11]) + Number(fields[12]);
    } catch {
      /* a server gone meanwhile */
    }
  }
  const bench = process.cpuUsage();
  return { at: performance.now(), benchMs: (bench.user + bench.system) / 1000, serverTicks: server, machine };
}

/** Percentages of one core for the bench and the server, and of all cores busy for the machine. */
function cpuShares(before, after) {
  const wallMs = after.at - before.at;
  const TICK_MS = 10; // USER_HZ is 100 on Linux
  const total = (sample) => sample.machine.reduce((sum, n) => sum + n, 0);
  const idle = (sample) => sample.machine[3] + (sample.machine[4] ?? 0);
  const machineTicks = total(after) - total(before);
  return {
    bench: Math.round((100 * (after.benchMs - before.benchMs)) / wallMs),
    server: Math.round((100 * (after.serverTicks - before.serverTicks) * TICK_MS) / wallMs),
    machine: machineTicks > 0 ? Math.round(100 * (1 - (idle(after) - idle(before)) / machineTicks)) : null,
  };
}

function addOutcome(tally, { ok = 0, refused = [], errors = [] }, latencyMs) {
  tally.requests += 1;
  tally.ok += ok;
  for (const code of refused) tally.refused.set(code, (tally.refused.get(code) ?? 0) + 1);
  for (const code of errors) tally.errors.set(code, (tally.errors.get(code) ?? 0) + 1);
  tally.latencies.push(latencyMs);
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted, p) {
  return sorted.length === 0 ? null : sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

function summarize(name, clients, tally, cpu, measureMs) {
  const sorted = Float64Array.from(tally.latencies).sort();
  const count = (codes) => [...codes.values()].reduce((sum, n) => sum + n, 0);
  return {
    name,
    clients,
    requests: tally.requests,
    ok: tally.ok,
    refused: count(tally.refused),
    errors: count(tally.errors),
    codes: [...tally.refused, ...tally.errors].map(([code, n]) => `${code}×${n}`),
    tps: round(tally.ok / (measureMs / 1000), 1),
    p50Ms: round(percentile(sorted, 50), 2),
    p99Ms: round(percentile(sorted, 99), 2),
    cpu: cpu ?? { bench: null, server: null, machine: null },
  };
}

/**
 * A GraphQL client for load. node:http with a keep-alive agent rather than fetch: fetch costs the
 * load generator about three times the CPU per request (half a core at 300 requests/s), which on a
 * small machine it takes from the server being measured.
 */
export function graphqlClient({ maxSockets, timeoutMs }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets });

  /** One POST to /graphql with an access token. Resolves to { data } or to { error: code }; never throws. */
  function postGraphql(origin, query, variables, token) {
    const payload = JSON.stringify({ query, variables });
    return new Promise((done) => {
      const request = http.request(
        `${origin}/graphql`,
        {
          method: 'POST',
          agent,
          timeout: timeoutMs,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(payload),
            authorization: `Bearer ${token}`,
          },
        },
        (response) => {
          const chunks = [];
          response.on('data', (chunk) => chunks.push(chunk));
          response.on('end', () => done(graphqlReply(response.statusCode, Buffer.concat(chunks).toString('utf8'))));
          response.on('error', () => done({ error: 'RESPONSE_FAILED' }));
        },
      );
      request.on('timeout', () => {
        request.destroy();
        done({ error: 'TIMEOUT' }); // the first settle wins: the 'error' that follows destroy() is ignored
      });
      request.on('error', () => done({ error: 'REQUEST_FAILED' }));
      request.end(payload);
    });
  }

  return postGraphql;
}

function graphqlReply(status, text) {
  let body = null;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON: reported by status below */
  }
  if (body?.errors?.length) return { error: body.errors[0].extensions?.code ?? 'GRAPHQL_ERROR' };
  if (status !== 200 || !body?.data) return { error: `HTTP_${status}` };
  return { data: body.data };
}
