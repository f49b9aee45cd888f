// Where a server's CPU went, from a .cpuprofile written by `node --cpu-prof` (BENCH_SERVER_NODE_ARGS in
// bench.mjs): the share of samples spent in each package or source directory, by self time (the
// frame on top of the stack) and in all (anywhere on the stack), and the functions with the most
// self time. With --last, only the samples of the profile's last seconds count: bench.mjs stops the
// server right after its last workload, so `--only single` and `--last 30` keep the single workload's.
// With --window, only those of a span of seconds from the profile's start: `--window 12-24`.
//
// Usage: node test/bench/profile-summary.mjs <file.cpuprofile> [--last <seconds> | --window <from>-<to>] [--top <functions, 40 by default>]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { last: { type: 'string' }, window: { type: 'string' }, top: { type: 'string', default: '40' } },
});
const [file] = positionals;
if (!file) {
  process.stderr.write('usage: node test/bench/profile-summary.mjs <file.cpuprofile> [--last <seconds>] [--top <n>]\n');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8'));
const [from, to] = values.window
  ? values.window.split('-').map((second) => profile.startTime + Number(second) * 1e6)
  : [values.last === undefined ? -Infinity : profile.endTime - Number(values.last) * 1e6, Infinity];

/** Where a frame's code lives: a package of node_modules, a directory of the app, node's own, or V8's pseudo-frames. */
function placeOf({ url, functionName }) {
  if (!url) return `(${functionName || 'native'})`;
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1];
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
  const app = /\/dist\/((?:src|libs)\/[^/]+)/.exec(url) ?? /\/((?:src|libs)\/[^/]+)/.exec(url);
  return app ? app[1] : url;
}

const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const parentOf = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);

const selfByFunction = new Map();
const selfByPlace = new Map();
const totalByPlace = new Map();
const add = (map, key) => map.set(key, (map.get(key) ?? 0) + 1);
let busy = 0;
let counted = 0;
let at = profile.startTime;
for (const [index, id] of profile.samples.entries()) {
  at += profile.timeDeltas[index];
  if (at < from || at > to) continue;
  counted += 1;
  const node = nodes.get(id);
  if (node.callFrame.functionName === '(idle)') continue;
  busy += 1;
  const frame = node.callFrame;
  add(selfByFunction, `${frame.functionName || '(anonymous)'} ${placeOf(frame)}:${frame.lineNumber + 1}`);
  add(selfByPlace, placeOf(frame));
  const seen = new Set();
  for (let frame = id; frame !== undefined; frame = parentOf.get(frame)) seen.add(placeOf(nodes.get(frame).callFrame));
  for (const place of seen) add(totalByPlace, place);
}

const percent = (count) => `${((100 * count) / busy).toFixed(1).padStart(5)}%`;
const top = (map, n) => [...map].sort((a, b) => b[1] - a[1]).slice(0, n);
const seconds = (Math.min(to, profile.endTime) - Math.max(from, profile.startTime)) / 1e6;
process.stdout.write(
  `${file}: ${seconds.toFixed(1)} s, ${counted} samples, ${((100 * (counted - busy)) / counted).toFixed(1)}% idle; shares below are of the busy samples\n`,
);
process.stdout.write('\nby place, self and in all (on the stack):\n');
for (const [place, count] of top(selfByPlace, 30))
  process.stdout.write(`${percent(count)} ${percent(totalByPlace.get(place))}  ${place}\n`);
process.stdout.write('\nin all, the top places:\n');
for (const [place, count] of top(totalByPlace, 30)) process.stdout.write(`${percent(count)}  ${place}\n`);
process.stdout.write(`\nby function, self (top ${values.top}):\n`);
for (const [name, count] of top(selfByFunction, Number(values.top)))
  process.stdout.write(`${percent(count)}  ${name}\n`);
