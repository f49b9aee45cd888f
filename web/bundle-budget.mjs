// The web app's first-load budget, checked in CI (`npm run web:budget`, after `npm run build`): the
// JavaScript that index.html makes a browser fetch before the first screen (its module scripts and
// their modulepreloads), gzipped as a server or proxy would send it. Members use phones on slow
// links; a dependency that blows the budget needs a reason, or lazy loading.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const BUDGET_BYTES = 350 * 1024;
const dist = join(dirname(fileURLToPath(import.meta.url)), 'dist');

let index;
try {
  index = readFileSync(join(dist, 'index.html'), 'utf8');
} catch {
  console.error('web:budget: web/dist/index.html is missing: run `npm run build` first.');
  process.exit(1);
}
const scripts = [
  ...index.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="\/app\/([^"]+\.js)"/g),
].map((match) => match[1]);
const sizes = scripts.map((file) => ({ file, gzipped: gzipSync(readFileSync(join(dist, file))).length }));
const total = sizes.reduce((sum, { gzipped }) => sum + gzipped, 0);
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
for (const { file, gzipped } of sizes) console.log(`  ${file}: ${kb(gzipped)} gzipped`);
console.log(`First-load JavaScript: ${kb(total)} gzipped, budget ${kb(BUDGET_BYTES)}.`);
if (scripts.length === 0 || total > BUDGET_BYTES) {
  console.error(scripts.length === 0 ? 'web:budget: index.html loads no script?' : 'web:budget: over budget.');
  process.exit(1);
}
