import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupAddress, LookupOptions } from 'node:dns';
import type { WebhookTarget } from './webhook-target.js';

/** What one attempt got: the answer's status and the start of its body, or why there was none. */
export interface AttemptResult {
  status: number | null;
  excerpt: string | null;
  error: string | null;
}

export const isSuccess = (result: AttemptResult): boolean =>
  result.status !== null && result.status >= 200 && result.status < 300;

/** Bytes of an answer's body kept for the delivery log: enough to see what went wrong, no more. */
const EXCERPT_BYTES = 200;

type LookupCallback = (error: Error | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` that answers with the addresses already checked, so that the connection goes where
 * the SSRF guard looked and a second DNS answer (rebinding) cannot send it elsewhere. Node asks
 * for all of them when it may try each in turn (autoSelectFamily), else for one of a family.
 */
function pinnedLookup(target: WebhookTarget) {
  return (_host: string, options: LookupOptions, callback: LookupCallback): void => {
    if (options.all) return callback(null, target.addresses);
    const { address, family } = target.addresses.find((one) => one.family === options.family) ?? target.addresses[0];
    callback(null, address, family);
  };
}

/**
 * POSTs `body` to the target once: redirects are not followed (a 3xx is a failure, as any non-2xx),
 * the whole exchange is cut at `timeoutMs`, and only the body's first bytes are read.
 */
export function sendWebhook(
  target: WebhookTarget,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<AttemptResult> {
  const request = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const outgoing = request(
      target.url,
      {
        method: 'POST',
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          'user-agent': 'Pumasi-Webhooks/1',
        },
        lookup: pinnedLookup(target),
        signal: AbortSignal.timeout(timeoutMs),
      },
      (response) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        const done = (): void => {
          const excerpt = Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString('utf8');
          resolve({ status: response.statusCode ?? null, excerpt, error: null });
          response.destroy();
        };
        response.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          kept += chunk.length;
          if (kept >= EXCERPT_BYTES) done();
        });
        response.on('end', done);
        response.on('error', done);
      },
    );
    outgoing.on('error', (error: Error) =>
      resolve({ status: null, excerpt: null, error: error.name === 'AbortError' ? 'timeout' : error.message }),
    );
    outgoing.end(body);
  });
}
