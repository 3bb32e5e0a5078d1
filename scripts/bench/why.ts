// Benchmark for `why POD` against the runbook's read-only kubectl commands, run one after
// another against the same simulated cluster, interleaved round by round so both see the
// same machine load. Reports medians, their ratio, and API requests per side.
// Run: node scripts/with-node.mjs --import tsx scripts/bench/why.ts [rounds] [latencyMs]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN, KUBECTL } from '../../test/helpers/binary';
import { startSim } from '../../test/sim/index';
import { runbook } from './runbook';

const ROUNDS = Number(process.argv[2] ?? 7);
const LATENCY = Number(process.argv[3] ?? 0);
const NS = 'dhakacart';
const POD = 'dhakacart-backend-7d9f8c6b5d-x2x9k';

const RUNBOOK = runbook(NS, POD);

function exec(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const c = spawn(cmd, args, { env, stdio: 'ignore' });
    c.on('error', reject);
    c.on('close', (code) => resolve(code ?? -1));
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const sim = await startSim({ scenario: 'crashloop-oom', latencyMs: LATENCY });
const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'kubectl-cache-'));
const env = { PATH: '/usr/bin:/bin', HOME: cache, KUBECONFIG: sim.kubeconfig, NO_COLOR: '1' };
const kubectlArgs = (a: string[]) => [...a, '--cache-dir', cache];
try {
  // Warm kubectl's discovery cache first: an engineer at 3 a.m. has one.
  for (const a of RUNBOOK) await exec(KUBECTL, kubectlArgs(a), env);
  const plugin: number[] = [];
  const runbook: number[] = [];
  let pluginReq = 0;
  let runbookReq = 0;
  for (let i = 0; i < ROUNDS; i++) {
    let r0 = sim.requests.length;
    let t = performance.now();
    await exec(BIN, ['why', POD, '-n', NS], env);
    plugin.push(performance.now() - t);
    pluginReq = sim.requests.length - r0;
    r0 = sim.requests.length;
    t = performance.now();
    for (const a of RUNBOOK) await exec(KUBECTL, kubectlArgs(a), env);
    runbook.push(performance.now() - t);
    runbookReq = sim.requests.length - r0;
  }
  const p = median(plugin);
  const k = median(runbook);
  console.log(JSON.stringify({
    rounds: ROUNDS, latencyMs: LATENCY,
    why: { medianMs: Math.round(p), requests: pluginReq },
    runbookKubectl: { commands: RUNBOOK.length, medianMs: Math.round(k), requests: runbookReq },
    ratio: Number((p / k).toFixed(3)),
  }, null, 2));
} finally {
  await sim.close();
  fs.rmSync(cache, { recursive: true, force: true });
}
