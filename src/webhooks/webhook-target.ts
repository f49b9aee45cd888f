import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Addresses a webhook must never reach unless the operator allows it (WEBHOOK_ALLOW_PRIVATE_TARGETS):
 * the service's own network, its cloud's metadata service (169.254.169.254) and the like. Whole
 * IPv6 ranges that embed an IPv4 address (mapped, compatible, NAT64, 6to4) are refused outright,
 * so that no spelling of 127.0.0.1 gets through.
 */
const NOT_PUBLIC_IPV4 = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const)
  NOT_PUBLIC_IPV4.addSubnet(network, prefix, 'ipv4');
// A list of its own: one BlockList checks IPv4 addresses against its IPv6 rules too (as ::ffff:a.b.c.d).
const NOT_PUBLIC_IPV6 = new BlockList();
for (const [network, prefix] of [
  ['::', 96], // unspecified, loopback (::1) and IPv4-compatible
  ['::ffff:0:0', 96], // IPv4-mapped
  ['64:ff9b::', 96], // NAT64
  ['100::', 64], // discard
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const)
  NOT_PUBLIC_IPV6.addSubnet(network, prefix, 'ipv6');

export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !NOT_PUBLIC_IPV4.check(address, 'ipv4');
  return family === 6 && !NOT_PUBLIC_IPV6.check(address, 'ipv6');
}

/** Where a delivery connects: the addresses checked, which the request must use (no second lookup). */
export interface WebhookTarget {
  url: URL;
  addresses: { address: string; family: number }[];
}

/** Why a URL is refused; said to the owner as URL_NOT_ALLOWED, and recorded on a delivery as its error. */
export class TargetRefused extends Error {}

/** The URL's own form: http or https, and no credentials (they would be sent to whoever answers). */
export function urlFormRefusal(text: string): string | null {
  if (!URL.canParse(text)) return 'not a URL';
  const url = new URL(text);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'only http and https URLs are allowed';
  if (url.username || url.password) return 'a URL with credentials is not allowed';
  return null;
}

/**
 * Resolves the URL's host and checks every address it resolves to: all must be public (unless
 * `allowPrivate`), so that a name with one public and one private address is refused too. Checked
 * when an endpoint is saved and again before every delivery, since DNS answers change.
 */
export async function resolveTarget(text: string, allowPrivate: boolean): Promise<WebhookTarget> {
  const refusal = urlFormRefusal(text);
  if (refusal) throw new TargetRefused(refusal);
  const url = new URL(text);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const addresses = isIP(host)
    ? [{ address: host, family: isIP(host) }]
    : await lookup(host, { all: true, verbatim: true }).catch(() => {
        throw new TargetRefused(`${host} does not resolve`);
      });
  if (addresses.length === 0) throw new TargetRefused(`${host} does not resolve`);
  const closed = addresses.find(({ address }) => !isPublicAddress(address));
  if (closed && !allowPrivate) throw new TargetRefused(`${host} resolves to ${closed.address}, which is not public`);
  return { url, addresses };
}
