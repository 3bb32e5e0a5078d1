// node --import tsx test/sim/cli.ts --scenario crashloop-oom --kubeconfig-out /tmp/x/config [--port N] [--latency MS]
// Starts a simulator, writes its kubeconfig, prints one JSON line {"url","kubeconfig","token","scenario"}
// on stdout when ready, and serves until SIGTERM/SIGINT.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { listScenarios, startSim } from './index';

const { values } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'baseline' },
    'kubeconfig-out': { type: 'string' },
    port: { type: 'string' },
    latency: { type: 'string' },
    list: { type: 'boolean', default: false },
  },
});

if (values.list) {
  process.stdout.write(listScenarios().join('\n') + '\n');
  process.exit(0);
}

const sim = await startSim({ scenario: values.scenario!, port: values.port ? Number(values.port) : 0, latencyMs: values.latency ? Number(values.latency) : 0 });
let kubeconfig = sim.kubeconfig;
if (values['kubeconfig-out']) {
  fs.mkdirSync(new URL('.', `file://${values['kubeconfig-out']}`).pathname, { recursive: true });
  fs.copyFileSync(sim.kubeconfig, values['kubeconfig-out']);
  fs.chmodSync(values['kubeconfig-out'], 0o600);
  kubeconfig = values['kubeconfig-out'];
}

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void sim.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// Only now: a caller may signal the moment it reads this line, and a signal before the
// handlers exist kills the process instead of closing the server.
process.stdout.write(JSON.stringify({ url: sim.url, kubeconfig, token: sim.token, scenario: values.scenario, pod: sim.scenario.expect.pod ?? null }) + '\n');
