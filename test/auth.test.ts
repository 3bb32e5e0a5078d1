// Credentials as users have them: an exec credential plugin (EKS, GKE and OIDC logins work
// this way) and a failing one, through client-node's auth path to the HTTPS simulator.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dump, load } from 'js-yaml';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { json, run } from './helpers/binary';
import { startSim, type Sim } from './sim/index';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dhakacart-auth-'));

/** The simulator's kubeconfig with its static token replaced by an exec plugin. */
function withExec(sim: Sim, script: string): string {
  const plugin = path.join(tmp, `cred-${Math.random().toString(36).slice(2)}.sh`);
  fs.writeFileSync(plugin, `#!/bin/sh\n${script}\n`, { mode: 0o755 });
  const doc = load(fs.readFileSync(sim.kubeconfig, 'utf8')) as { users: { name: string; user: Record<string, unknown> }[] };
  doc.users[0]!.user = { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: plugin, interactiveMode: 'Never' } };
  const file = path.join(tmp, `config-${path.basename(plugin)}`);
  fs.writeFileSync(file, dump(doc));
  return file;
}

test('an exec credential plugin supplies the bearer token', async () => {
  const sim = await startSim({ scenario: 'healthy' });
  try {
    const cred = JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: sim.token } });
    const k = withExec(sim, `echo '${cred}'`);
    const r = await run(['status', '--kubeconfig', k, '-o', 'json']);
    assert.is(r.code, 0, r.stderr);
    assert.is(json<{ healthy: boolean }>(r).healthy, true);
  } finally {
    await sim.close();
  }
});

test('a failing exec plugin: exit 3, its message, and no request sent with a bad token', async () => {
  const sim = await startSim({ scenario: 'healthy' });
  try {
    const k = withExec(sim, 'echo "error: SSO session expired; run aws sso login" >&2; exit 1');
    const before = sim.requests.length;
    const r = await run(['status', '--kubeconfig', k]);
    assert.is(r.code, 3, r.stderr);
    assert.match(r.stderr, /SSO session expired/);
    assert.match(r.stderr, /cannot get credentials/, r.stderr);
    assert.not.match(r.stderr, /cannot reach/, "not reported as an unreachable server");
    assert.is(sim.requests.length, before);
  } finally {
    await sim.close();
  }
});

test.run();
