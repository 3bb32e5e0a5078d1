// Start-up timing: median wall time of N interleaved runs of each command, so that every
// command sees the same machine load. `node scripts/sea/measure.mjs [runs] [bin...]`
// compares each binary's --version and --help with `<pinned node> -e 0`.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { nodeBinary } from '../node-dist.mjs';

/**
 * @param {Record<string, string[]>} commands name -> argv
 * @returns {Record<string, number>} name -> median milliseconds
 */
export function medians(commands, runs = 20) {
  /** @type {Record<string, number[]>} */
  const times = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
  const env = { PATH: '/nonexistent', HOME: '/nonexistent', NO_COLOR: '1' };
  for (let i = 0; i < runs + 1; i++) {
    for (const [name, [cmd, ...args]] of Object.entries(commands)) {
      const t = process.hrtime.bigint();
      const r = spawnSync(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
      const ms = Number(process.hrtime.bigint() - t) / 1e6;
      if (r.status !== 0) throw new Error(`${name}: exit ${r.status}\n${r.stderr}`);
      if (i > 0) times[name]?.push(ms); // run 0 warms the page cache
    }
  }
  const median = (/** @type {number[]} */ a) => { const s = [...a].sort((x, y) => x - y); return ((s[(s.length - 1) >> 1] ?? NaN) + (s[s.length >> 1] ?? NaN)) / 2; };
  return Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const runs = Number(process.argv[2]) || 20;
  const bins = process.argv.slice(3);
  /** @type {Record<string, string[]>} */
  const commands = { 'node -e 0': [nodeBinary(), '-e', '0'] };
  for (const b of bins) {
    commands[`${b} --version`] = [b, '--version'];
    commands[`${b} --help`] = [b, '--help'];
  }
  const m = medians(commands, runs);
  const base = m['node -e 0'] ?? NaN;
  for (const [k, v] of Object.entries(m)) console.log(`${v.toFixed(1).padStart(7)} ms  x${(v / base).toFixed(2)}  ${k}`);
}
