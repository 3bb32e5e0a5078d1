// `npm run bench -- [--runs N] [--latency MS] [--pods N] [--out FILE] [--bin PATH]
// [--cases version,why,status,selector,wide,fleet]`: the plugin (dist/, or the binary at PATH) against
// what it replaces, as whole processes on one simulated cluster, A and B alternated run by
// run so both see the same machine load. Prints and writes BENCHMARKS.md: medians, spread
// (min-max), peak RSS, API requests and sequential rounds (from the simulator's log).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BIN, KUBECTL, ROOT } from '../../test/helpers/binary';
import { addPods, sequentialRounds } from '../../test/helpers/bulk';
import { summarizePod } from '../../src/kube/podState';
import type { Pod } from '../../src/kube/types';
import { startFleet, type Fleet } from '../../test/sim/fleet';
import { startSim, type Sim } from '../../test/sim/index';
import { cleanup, measureAll, median, type Sample } from './harness';
import { runbook } from './runbook';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '7' }, latency: { type: 'string', default: '20' }, pods: { type: 'string', default: '5000' }, out: { type: 'string', default: path.join(ROOT, 'BENCHMARKS.md') },
    bin: { type: 'string', default: BIN }, cases: { type: 'string', default: 'version,why,status' } },
});
const RUNS = Number(values.runs);
const LATENCY = Number(values.latency);
const PODS = Number(values.pods);
const CASES = new Set(values.cases!.split(','));
// with-node.mjs runs this script under the pinned Node the binary embeds.
const NODE = process.execPath;
const NS = 'dhakacart';
const POD = 'dhakacart-backend-7d9f8c6b5d-x2x9k';
const APP = 'app=dhakacart-backend';
const FAILING = 30;
const WIDE = { namespaces: 50, pods: 20_000 };
const healthyNow = (p: Pod) => summarizePod(p, { now: Date.now(), windowMs: 3_600_000 }).healthy;

/** One Deployment's pods at scale: PODS healthy copies of its healthy pods and FAILING of its failing one. */
async function selectorSim(): Promise<Sim> {
  const sim = await startSim({ scenario: 'crashloop-oom', latencyMs: LATENCY });
  const backend = (p: Pod) => p.metadata.labels?.app === 'dhakacart-backend';
  addPods(sim, NS, PODS, (p) => backend(p) && healthyNow(p));
  addPods(sim, NS, FAILING - 1, (p) => backend(p) && !healthyNow(p));
  return sim;
}

/** WIDE.pods healthy pods over WIDE.namespaces namespaces, and FAILING failing ones spread among them. */
async function wideSim(): Promise<Sim> {
  const sim = await startSim({ scenario: 'crashloop-oom', latencyMs: LATENCY });
  const created = new Date().toISOString();
  for (let i = 0; i < WIDE.namespaces; i++) {
    const name = `shop-${i}`;
    sim.store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kubernetes.io/metadata.name': name }, creationTimestamp: created }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } });
    addPods(sim, NS, WIDE.pods / WIDE.namespaces, healthyNow, name);
    if (i < FAILING) addPods(sim, NS, 1, (p) => !healthyNow(p), name);
  }
  return sim;
}

/** The issue's fleet: 20 clusters at LATENCY, one of them hanging (a listener that never answers), each request bounded by this timeout. */
const FLEET = { clusters: 20, timeoutMs: 2_000 };
const fleetName = (i: number) => `cluster-${String(i + 1).padStart(2, '0')}`;

/**
 * Where the hanging cluster is decides when a slot is free for it: first, its timeout runs
 * beside the others; last (the worst case), it starts only after the other waves.
 */
function fleetSims(hang: number): Promise<Fleet> {
  return startFleet({ clusters: Array.from({ length: FLEET.clusters }, (_, i) => (i === hang ? { name: fleetName(i), hang: true } : { name: fleetName(i), scenario: 'crashloop-oom', latencyMs: LATENCY })) });
}

type Steps = [string, string[]][];
interface Side { label: string; steps: Steps }
interface Figures { label: string; samples: Sample[]; requests: number; rounds: number }
interface Row { what: string; a: Figures; b: Figures }

const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubectl-cache-'));
const kubectl = (...a: string[]): [string, string[]] => [KUBECTL, [...a, '--cache-dir', cacheDir]];
const plugin = (...a: string[]): [string, string[]] => [values.bin!, a];
/** What a side runs against: one simulator, a fleet of them (one kubeconfig), or nothing. */
type Target = Sim | Fleet | null;
const simsOf = (t: Target): Sim[] => (t === null ? [] : 'members' in t ? t.members.flatMap((m) => (m.sim ? [m.sim] : [])) : [t]);
const envFor = (t: Target): NodeJS.ProcessEnv => ({ PATH: '/usr/bin:/bin', HOME: cacheDir, NO_COLOR: '1', ...(t ? { KUBECONFIG: t.kubeconfig } : {}) });

/** Requests summed over the simulators; rounds those of the longest chain in any one of them. */
async function side(t: Target, s: Side): Promise<{ sample: Sample; requests: number; rounds: number }> {
  const sims = simsOf(t);
  const r0 = sims.map((x) => x.requests.length);
  const sample = await measureAll(s.steps, envFor(t));
  const reqs = sims.map((x, i) => x.requests.slice(r0[i]));
  return { sample, requests: reqs.reduce((n, r) => n + r.length, 0), rounds: Math.max(0, ...reqs.map(sequentialRounds)) };
}

async function pair(what: string, sim: Target, a: Side, b: Side, runs = RUNS): Promise<Row> {
  // One untimed run each: kubectl's discovery cache is warm (an engineer at 3 a.m. has one), page cache too.
  await side(sim, a);
  await side(sim, b);
  const fa: Figures = { label: a.label, samples: [], requests: 0, rounds: 0 };
  const fb: Figures = { label: b.label, samples: [], requests: 0, rounds: 0 };
  for (let i = 0; i < runs; i++) {
    for (const [s, f] of (i % 2 ? [[b, fb], [a, fa]] : [[a, fa], [b, fb]]) as [Side, Figures][]) {
      const r = await side(sim, s);
      f.samples.push(r.sample);
      f.requests = r.requests;
      f.rounds = r.rounds;
    }
  }
  process.stderr.write(`${what}: done\n`);
  return { what, a: fa, b: fb };
}

const ms = (f: Figures) => median(f.samples.map((s) => s.ms));
const medianOf = (xs: (number | null)[]) => {
  const known = xs.filter((x): x is number => x !== null);
  return known.length ? median(known) : null;
};
const rss = (f: Figures) => medianOf(f.samples.map((s) => s.rssMb));
const cpu = (f: Figures) => medianOf(f.samples.map((s) => s.cpuMs));
const spread = (f: Figures) => {
  const xs = f.samples.map((s) => s.ms);
  return `${Math.round(Math.min(...xs))}–${Math.round(Math.max(...xs))}`;
};
const ratio = (x: number | null, y: number | null) => (x === null || y === null ? 'n/a' : `${(x / y).toFixed(2)}x`);
const whole = (x: number | null) => (x === null ? 'n/a' : x.toFixed(0));

function table(rows: Row[]): string {
  const lines = [
    '| what | A | B | A ms (min–max) | B ms (min–max) | wall A/B | CPU ms A / B | CPU A/B | MB A / B | memory A/B | requests A / B | rounds A / B |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const { what, a, b } of rows) {
    lines.push(`| ${what} | \`${a.label}\` | \`${b.label}\` | ${Math.round(ms(a))} (${spread(a)}) | ${Math.round(ms(b))} (${spread(b)}) | ${ratio(ms(a), ms(b))} | ${whole(cpu(a))} / ${whole(cpu(b))} | ${ratio(cpu(a), cpu(b))} | ${whole(rss(a))} / ${whole(rss(b))} | ${ratio(rss(a), rss(b))} | ${a.requests} / ${b.requests} | ${a.rounds} / ${b.rounds} |`);
  }
  return lines.join('\n');
}

/** A fleet run (A) against one of its clusters (B): the wall time past the hanging cluster's timeout, and peak memory, as ratios to B. */
function fleetTable(rows: Row[]): string {
  const lines = [
    '| what | A | B | A ms (min–max) | B ms (min–max) | timeout ms | (A − timeout) / B, target ≤ 1.5 | MB A / B | memory A/B, target ≤ 2 | requests A / B |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const { what, a, b } of rows) {
    lines.push(`| ${what} | \`${a.label}\` | \`${b.label}\` | ${Math.round(ms(a))} (${spread(a)}) | ${Math.round(ms(b))} (${spread(b)}) | ${FLEET.timeoutMs} | ${ratio(ms(a) - FLEET.timeoutMs, ms(b))} | ${whole(rss(a))} / ${whole(rss(b))} | ${ratio(rss(a), rss(b))} | ${a.requests} / ${b.requests} |`);
  }
  return lines.join('\n');
}

function machine(): string {
  const git = (...a: string[]) => { try { return execFileSync('git', a, { cwd: ROOT, encoding: 'utf8' }).trim(); } catch { return 'unknown'; } };
  const kv = (() => { try { return execFileSync(KUBECTL, ['version', '--client', '-o', 'json'], { encoding: 'utf8' }); } catch { return '{}'; } })();
  const cpus = os.cpus();
  return [
    `- ${execFileSync(values.bin!, ['--version'], { encoding: 'utf8' }).trim()} (worktree at ${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain') ? ', with uncommitted changes' : ''}), ${new Date().toISOString()}`,
    `- ${os.type()} ${os.release()} ${os.arch()}, ${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`,
    `- embedded Node ${execFileSync(NODE, ['--version'], { encoding: 'utf8' }).trim()}, kubectl ${(JSON.parse(kv) as { clientVersion?: { gitVersion?: string } }).clientVersion?.gitVersion ?? 'unknown'}`,
    `- ${RUNS} runs per side, alternated; simulator latency ${LATENCY} ms per request; ${PODS} extra pods for the large cases`,
  ].join('\n');
}

const rows: Row[] = [];
const fleetRows: Row[] = [];
const small = await startSim({ scenario: 'crashloop-oom', latencyMs: LATENCY });
const large = await startSim({ scenario: 'crashloop-oom', latencyMs: LATENCY });
addPods(large, NS, PODS);
try {
  const version: Side = { label: 'kubectl-dhakacart --version', steps: [plugin('--version')] };
  if (CASES.has('version')) {
    rows.push(await pair('start-up vs the embedded Node', null, version, { label: 'node -e 0', steps: [[NODE, ['-e', '0']]] }));
    rows.push(await pair('start-up vs kubectl', null, version, { label: 'kubectl version --client', steps: [kubectl('version', '--client')] }));
  }
  const rb = runbook(NS, POD);
  if (CASES.has('why')) rows.push(await pair('why POD vs the runbook', small, { label: `why ${POD}`, steps: [plugin('why', POD, '-n', NS)] },
    { label: `${rb.length} kubectl commands`, steps: rb.map((a) => kubectl(...a)) }));
  const total = large.store.list('pods', NS).length;
  if (CASES.has('status')) rows.push(await pair(`status --all, ${total} pods`, large, { label: 'status --all', steps: [plugin('status', '--all', '-n', NS)] },
    { label: 'kubectl get pods', steps: [kubectl('get', 'pods', '-n', NS)] }, Math.min(RUNS, 5)));
  if (CASES.has('status')) rows.push(await pair(`status --all -o json, ${total} pods`, large, { label: 'status --all -o json', steps: [plugin('status', '--all', '-n', NS, '-o', 'json')] },
    { label: 'kubectl get pods -o json', steps: [kubectl('get', 'pods', '-n', NS, '-o', 'json')] }, Math.min(RUNS, 5)));
  if (CASES.has('selector')) {
    const sel = await selectorSim();
    try {
      rows.push(await pair(`why -l, ${sel.store.list('pods', NS).length} pods, ${FAILING} failing`, sel, { label: `why -l ${APP}`, steps: [plugin('why', '-l', APP, '-n', NS)] },
        { label: `kubectl get pods -l ${APP}`, steps: [kubectl('get', 'pods', '-l', APP, '-n', NS)] }, Math.min(RUNS, 5)));
    } finally {
      await sel.close();
    }
  }
  if (CASES.has('wide')) {
    const wide = await wideSim();
    try {
      const all = `${wide.store.list('pods').length} pods in ${WIDE.namespaces + 1} namespaces`;
      const getAll: Side = { label: 'kubectl get pods -A', steps: [kubectl('get', 'pods', '-A')] };
      rows.push(await pair(`status -A, ${all}`, wide, { label: 'status -A', steps: [plugin('status', '-A')] }, getAll, Math.min(RUNS, 3)));
      rows.push(await pair(`why -A, ${all}`, wide, { label: 'why -A', steps: [plugin('why', '-A')] }, getAll, Math.min(RUNS, 3)));
    } finally {
      await wide.close();
    }
  }
  if (CASES.has('fleet')) {
    const timeout = `${FLEET.timeoutMs / 1000}s`;
    for (const [where, hang] of [['last', FLEET.clusters - 1], ['first', 0]] as const) {
      const fleet = await fleetSims(hang);
      const one = fleetName(hang === 0 ? 1 : 0);
      try {
        for (const cmd of ['status', 'why']) {
          fleetRows.push(await pair(`${cmd}, ${FLEET.clusters} clusters, the ${where} one hanging, vs one`, fleet, { label: `${cmd} --all-contexts --request-timeout ${timeout}`, steps: [plugin(cmd, '--all-contexts', '--request-timeout', timeout)] },
            { label: `${cmd} --context ${one}`, steps: [plugin(cmd, '--context', one, '--request-timeout', timeout)] }, Math.min(RUNS, 5)));
        }
      } finally {
        await fleet.close();
      }
    }
  }
} finally {
  await small.close();
  await large.close();
  cleanup();
  fs.rmSync(cacheDir, { recursive: true, force: true });
}

const md = `# Benchmarks

Written by \`npm run bench\` (scripts/bench/bench.ts); rerun it to replace this file.
Whole processes, wall time from spawn to exit, CPU time (user + system) and peak RSS
from GNU time; A and B alternate
run by run against the same simulated API server (test/sim). Requests and rounds are the
last run's, from the simulator's log (rounds: the longest chain of requests each started
after the previous one was answered).

${machine()}

${rows.length ? table(rows) : ''}
${fleetRows.length ? `
## Fleet (\`--cases fleet\`)

${FLEET.clusters} simulated clusters (each its own server, CA and token; ${LATENCY} ms per request), one of them a
listener that never answers (the last, then the first, in the kubeconfig's order); A asks all of them
(\`--concurrency\` 8), B one cluster that answers. The issue's targets: A's wall time at most 1.5x B's plus the
hanging cluster's timeout, A's memory at most 2x B's.

${fleetTable(fleetRows)}
` : ''}`;
fs.writeFileSync(values.out!, md);
process.stdout.write(md);
