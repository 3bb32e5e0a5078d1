// Times whole processes: wall time around spawn; peak RSS (`%M`, KiB) and CPU time (user +
// system, which the API server's own speed and the machine's load move far less than wall
// time) from GNU time when /usr/bin/time exists, else none. Both sides pay the same wrapper.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const GNU_TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dhakacart-bench-'));

export interface Sample { ms: number; cpuMs: number | null; rssMb: number | null; code: number }

/** Runs cmd to completion, output discarded. */
export function measure(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<Sample> {
  const out = path.join(tmp, 'rss');
  const [c, a] = GNU_TIME ? [GNU_TIME, ['-f', '%M %U %S', '-o', out, cmd, ...args]] : [cmd, args];
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(c, a, { env, stdio: 'ignore' });
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - t0;
      // GNU time writes "Command exited with non-zero status N" before the figure.
      const [kib, user, sys] = GNU_TIME ? fs.readFileSync(out, 'utf8').trim().split('\n').pop()!.split(' ').map(Number) : [];
      const known = (x: number | undefined): x is number => x !== undefined && Number.isFinite(x);
      resolve({ ms, cpuMs: known(user) && known(sys) ? (user + sys) * 1000 : null, rssMb: known(kib) ? kib / 1024 : null, code: code ?? -1 });
    });
  });
}

/** A sequence of processes as one sample: wall and CPU time summed, peak memory the largest. */
export async function measureAll(steps: [string, string[]][], env: NodeJS.ProcessEnv): Promise<Sample> {
  let ms = 0;
  let cpu: number | null = null;
  let rss: number | null = null;
  let code = 0;
  for (const [c, a] of steps) {
    const s = await measure(c, a, env);
    ms += s.ms;
    if (s.cpuMs !== null) cpu = (cpu ?? 0) + s.cpuMs;
    if (s.rssMb !== null) rss = Math.max(rss ?? 0, s.rssMb);
    code = code || s.code;
  }
  return { ms, cpuMs: cpu, rssMb: rss, code };
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export function cleanup(): void {
  fs.rmSync(tmp, { recursive: true, force: true });
}
