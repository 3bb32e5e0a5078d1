// `npm test`: build the binary, then run every test/**/*.test.ts with uvu under the pinned
// Node runtime, one process per file and as many at once as there are cores (each file has
// its own simulators on port 0, its own temp HOME and TLS dir, so files do not share state),
// and close with each file's time and the plain `N passed, N failed` line CI reads.
// Extra arguments are a uvu pattern: `npm test -- status` runs the matching files only.
// DHAKACART_TEST_JOBS=1 runs the files one after another.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { nodeBinary, root } from './node-dist.mjs';

const node = nodeBinary();
if (!process.env.DHAKACART_SKIP_BUILD) {
  const b = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { stdio: 'inherit', cwd: root });
  if (b.status !== 0) { console.log('0 passed, 1 failed'); process.exit(1); }
}

const testDir = path.join(root, 'test');
// Grouped, so an alternation (`sim|status`) still has to end in .test.ts; case-insensitive as uvu's.
const pattern = new RegExp(process.argv[2] ? `(${process.argv[2]}).*\\.test\\.ts$` : '\\.test\\.ts$', 'i');
const files = fs.readdirSync(testDir, { recursive: true, encoding: 'utf8' })
  .map((f) => f.split(path.sep).join('/'))
  .filter((f) => pattern.test(f));

// The release tests share release/ (made by `npm run release` when missing): one job, in order.
// Files that start no simulator and no binary take less time than a process takes to start
// (tsx): one job for all of them.
const RELEASE = /^release[^/]*\.test\.ts$/;
/** @param {string} f */
const pure = (f) => !/helpers\/binary|sim\/index|startSim|spawn|execFile/.test(fs.readFileSync(path.join(testDir, f), 'utf8'));
const groups = [files.filter((f) => RELEASE.test(f)), files.filter((f) => !RELEASE.test(f) && pure(f))];
const jobs = [...files.filter((f) => !groups.flat().includes(f)).map((f) => [f]), ...groups.filter((g) => g.length)];
// Its tests bound the wall-clock time of a 1 s --request-timeout (under 2 s, binary start
// included), which another file's binaries on the same cores can break: it runs last, alone.
const ALONE = /^transport-faults\.test\.ts$/;
// Longest first keeps the last job short: the bigger test files run the binary more.
/** @param {string[]} job */
const size = (job) => job.reduce((/** @type {number} */ n, f) => n + fs.statSync(path.join(testDir, f)).size, 0);
jobs.sort((a, b) => size(b) - size(a));

/** @param {string} s */
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** @param {string} out @param {string} label */
const count = (out, label) => Number((out.match(new RegExp(`${label}:\\s+(\\d+)`)) ?? [])[1] ?? NaN);

/**
 * @typedef {{ job: string[], out: string, code: number | null, seconds: number, passed: number, skipped: number, failed: number }} JobResult
 */

/** Runs one job's files in one uvu process; resolves with its counts and output. @param {string[]} job @returns {Promise<JobResult>} */
function runJob(job) {
  const t0 = performance.now();
  const child = spawn(node, ['--import', 'tsx', path.join(root, 'node_modules/uvu/bin.js'), 'test', `^(${job.map(escape).join('|')})$`],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let out = '';
  child.stdout.on('data', (c) => { out += c; });
  child.stderr.on('data', (c) => { out += c; });
  return new Promise((resolve) => {
    child.on('close', (code) => {
      const total = count(out, 'Total'), passed = count(out, 'Passed'), skipped = count(out, 'Skipped') || 0;
      // No summary (a crash before uvu's report): the job counts as one failure.
      const ok = !Number.isNaN(total) && !Number.isNaN(passed);
      resolve({
        job, out, code, seconds: (performance.now() - t0) / 1000,
        passed: ok ? passed : 0, skipped: ok ? skipped : 0, failed: ok ? total - passed - skipped : 1,
      });
    });
  });
}

const width = Number(process.env.DHAKACART_TEST_JOBS) || os.availableParallelism();
/** @type {JobResult[]} */
const results = [];
const t0 = performance.now();
/** Runs `queue` `n` at a time; each job's output is printed whole as it ends, so parallel files never interleave. */
/** @param {string[][]} queue @param {number} n */
async function runAll(queue, n) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, queue.length) }, async () => {
    while (next < queue.length) {
      const r = await runJob(queue[next++]);
      process.stdout.write(`\n=== ${r.job.join(' + ')} (${r.seconds.toFixed(1)} s)\n${r.out}`);
      results.push(r);
    }
  }));
}
/** @param {string[]} job */
const alone = (job) => job.some((f) => ALONE.test(f));
await runAll(jobs.filter((j) => !alone(j)), width);
await runAll(jobs.filter(alone), 1);

/** @param {'passed' | 'failed' | 'skipped'} k */
const sum = (k) => results.reduce((n, r) => n + r[k], 0);
const passed = sum('passed'), failed = sum('failed'), skipped = sum('skipped');
console.log(`\nTimes (${width} at once, ${((performance.now() - t0) / 1000).toFixed(1)} s in all):`);
for (const r of [...results].sort((a, b) => b.seconds - a.seconds)) {
  console.log(`${r.seconds.toFixed(1).padStart(7)} s  ${r.job.join(' + ')}${r.failed ? `  (${r.failed} failed)` : ''}`);
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || results.some((r) => r.code !== 0) ? 1 : 0);
