// `npm test`: build the binary, then run every test/**/*.test.ts with uvu under the pinned
// Node runtime, and close with the plain `N passed, N failed` line CI reads.
// Extra arguments are a uvu pattern: `npm test -- status` runs the matching files only.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { nodeBinary, root } from './node-dist.mjs';

const node = nodeBinary();
if (!process.env.DHAKACART_SKIP_BUILD) {
  const b = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { stdio: 'inherit', cwd: root });
  if (b.status !== 0) { console.log('0 passed, 1 failed'); process.exit(1); }
}
// Grouped, so an alternation (`sim|status`) still has to end in .test.ts.
const pattern = process.argv[2] ? `(${process.argv[2]}).*\\.test\\.ts$` : '\\.test\\.ts$';
const child = spawn(node, ['--import', 'tsx', path.join(root, 'node_modules/uvu/bin.js'), 'test', pattern],
  { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NO_COLOR: '1' } });
let out = '';
child.stdout.on('data', (c) => { out += c; process.stdout.write(c); });
child.on('close', (code) => {
  const num = (/** @type {string} */ label) => Number((out.match(new RegExp(`${label}:\\s+(\\d+)`)) ?? [])[1] ?? NaN);
  const total = num('Total'), passed = num('Passed'), skipped = num('Skipped') || 0;
  if (Number.isNaN(total) || Number.isNaN(passed)) {
    console.log('0 passed, 1 failed');
    process.exit(code || 1);
  }
  const failed = total - passed - skipped;
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  process.exit(code !== 0 || failed > 0 ? 1 : 0);
});
