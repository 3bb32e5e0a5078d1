// `npm run demo`: install, build, start the simulated DhakaCart cluster with a crash-looping
// backend on loopback, point a temporary kubeconfig at it, and run the plugin through
// real kubectl the way an on-call engineer would. Never touches ~/.kube.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { nodeBinary, root } from './node-dist.mjs';

const SCENARIO = process.env.DEMO_SCENARIO ?? 'crashloop-oom';
/** @type {(cmd: string, args: string[], opts?: import('node:child_process').SpawnSyncOptions) => import('node:child_process').SpawnSyncReturns<Buffer | string>} */
const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });

if (!fs.existsSync(path.join(root, 'node_modules/.package-lock.json'))) {
  console.log('Installing dependencies (npm ci)...');
  if (run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error']).status !== 0) process.exit(1);
}
if (run(process.execPath, ['scripts/build.mjs']).status !== 0) process.exit(1);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dhakacart-demo-'));
const kubeconfig = path.join(tmp, 'config');
const sim = spawn(nodeBinary(), ['--import', 'tsx', 'test/sim/cli.ts', '--scenario', SCENARIO, '--kubeconfig-out', kubeconfig],
  { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
const ready = await new Promise((resolve, reject) => {
  readline.createInterface({ input: sim.stdout }).once('line', (l) => resolve(JSON.parse(l)));
  sim.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
});
const cleanup = () => { sim.kill('SIGTERM'); fs.rmSync(tmp, { recursive: true, force: true }); };
process.on('SIGINT', () => { cleanup(); process.exit(130); });

const dist = path.join(root, 'dist');
const hasKubectl = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;
const env = { ...process.env, PATH: `${dist}${path.delimiter}${process.env.PATH}`, KUBECONFIG: kubeconfig };
// The plugin's own flags after its name: kubectl refuses flags placed before a plugin name.
const plugin = (/** @type {string[]} */ args) => {
  console.log(`\n$ kubectl dhakacart ${args.join(' ')}`);
  const [cmd, argv] = hasKubectl ? ['kubectl', ['dhakacart', ...args]] : [path.join(dist, 'kubectl-dhakacart'), args];
  const r = spawnSync(cmd, argv, { stdio: 'inherit', env });
  console.log(`(exit ${r.status})`);
  return r.status;
};

console.log(`Simulated cluster (scenario ${SCENARIO}) at ${ready.url}; temporary KUBECONFIG=${kubeconfig}`);
try {
  plugin(['status', '-n', 'dhakacart']);
  // The pod the alert would name: the first unhealthy one.
  const status = JSON.parse(spawnSync(path.join(dist, 'kubectl-dhakacart'), ['status', '-n', 'dhakacart', '-o', 'json'], { env, encoding: 'utf8' }).stdout);
  const pod = status.pods.find((/** @type {{ name: string, healthy: boolean }} */ p) => !p.healthy)?.name;
  if (pod) {
    // Saved as an on-call engineer would, for the report at the end.
    const incident = path.join(tmp, 'incident.json');
    plugin(['why', pod, '-n', 'dhakacart', '--save', incident]);
    const why = JSON.parse(spawnSync(path.join(dist, 'kubectl-dhakacart'), ['why', pod, '-n', 'dhakacart', '-o', 'json'], { env, encoding: 'utf8' }).stdout);
    if (why.fix?.command?.startsWith('kubectl dhakacart ')) {
      // Its own advice, applied: the demo is not a terminal, so --yes stands in for the prompt.
      plugin([...why.fix.command.replace(/^kubectl dhakacart /, '').split(' '), '--yes', '--settle', '3s']);
      plugin(['status', '-n', 'dhakacart']);
      // The runbook's Monitoring Recovery, as a person would run it after any change.
      const workload = /\bdeployment\/\S+/.exec(why.fix.command)?.[0];
      if (workload) plugin(['verify', workload, '-n', 'dhakacart', '--settle', '3s']);
    }
    plugin(['report', '-n', 'dhakacart', '--from-file', incident]);
  }
  // The Prevention Checklist: on the live backend, then on the manifests before they are applied.
  plugin(['check', 'dhakacart-backend', '-n', 'dhakacart']);
  plugin(['check', '-f', path.join(root, 'scripts', 'demo-manifests'), '-n', 'dhakacart']);
} finally {
  cleanup();
}
