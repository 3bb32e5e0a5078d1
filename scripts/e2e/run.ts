// npm run e2e [-- --cluster sim|existing] [--namespace NS] [--context C] [--kubeconfig F] [--save-dir DIR] [--timeout 240s]
//   sim (default): a simulator in this process, its scenario built from the same manifests
//                  (test/sim/manifests.ts); no cluster needed.
//   existing:      the cluster of KUBECONFIG (or --kubeconfig / --context), e.g. a kind cluster.
// Builds dist/kubectl-dhakacart first when it is missing (DHAKACART_SKIP_BUILD=1: never).
// Prints one line per workload and exits 0 when every check held, 1 otherwise.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { findKubectl } from '../../test/helpers/binary';
import { scenarioFromManifests } from '../../test/sim/manifests';
import { startSim } from '../../test/sim/index';
import { BIN, ROOT, manifestFiles, runHarness, type HarnessResult } from './harness';

const { values } = parseArgs({
  options: {
    cluster: { type: 'string', default: 'sim' },
    kubeconfig: { type: 'string' },
    context: { type: 'string' },
    namespace: { type: 'string' },
    'save-dir': { type: 'string' },
    timeout: { type: 'string', default: '240s' },
  },
});

function seconds(v: string): number {
  const m = /^(\d+)(s|m)?$/.exec(v);
  if (!m) throw new Error(`--timeout ${v}: use seconds (240s) or minutes (4m)`);
  return Number(m[1]) * (m[2] === 'm' ? 60 : 1);
}

const cluster = values.cluster!;
if (cluster !== 'sim' && cluster !== 'existing') {
  process.stderr.write(`--cluster ${cluster}: use sim (the simulator, default) or existing (KUBECONFIG's cluster)\n`);
  process.exit(2);
}
const kubectl = findKubectl();
if (!kubectl) {
  process.stderr.write('kubectl is not on PATH: the harness applies the manifests with it\n');
  process.exit(2);
}
if (!fs.existsSync(BIN) && process.env.DHAKACART_SKIP_BUILD !== '1') {
  const b = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], { stdio: 'inherit' });
  if (b.status !== 0) process.exit(1);
}

const timeoutS = seconds(values.timeout!);
const namespace = values.namespace ?? `dhakacart-e2e-${Date.now().toString(36)}`;
const log = (line: string) => process.stderr.write(`e2e: ${line}\n`);
const saveDir = values['save-dir'] ?? fs.mkdtempSync(path.join(os.tmpdir(), 'dhakacart-e2e-'));
const base = { namespace, kubectl, saveDir, failureTimeoutMs: timeoutS * 1000, fixTimeout: `${timeoutS}s`, log };

let result: HarnessResult;
if (cluster === 'sim') {
  const sim = await startSim({ scenario: scenarioFromManifests(manifestFiles()) });
  try {
    result = await runHarness({ ...base, kubeconfig: sim.kubeconfig, kubectlCacheDir: path.join(path.dirname(sim.kubeconfig), 'kubectl-cache'), noValidate: true, pollMs: 200, settle: '1s' });
  } finally {
    await sim.close();
  }
} else {
  result = await runHarness({ ...base, kubeconfig: values.kubeconfig, context: values.context, pollMs: 3000, settle: '10s' });
}

const where = cluster === 'sim' ? 'simulator' : `cluster ${values.context ?? '(current context)'}`;
for (const c of result.cases) {
  process.stdout.write(`${c.problems.length ? 'FAIL' : c.cause === null ? 'skip' : 'ok  '} ${c.workload}: cause ${c.cause ?? '-'}, fix ${c.fix ?? 'none'}${c.recovered === null ? '' : c.recovered ? ', recovered' : ', not recovered'}\n`);
  for (const p of c.problems) process.stdout.write(`       ${p}\n`);
}
for (const p of [...result.status.problems, ...result.setup]) process.stdout.write(`FAIL ${p}\n`);
process.stdout.write(`e2e on the ${where}: ${result.ok ? 'passed' : 'FAILED'} (${result.cases.length} workloads, why --save snapshots in ${saveDir})\n`);
process.exit(result.ok ? 0 : 1);
