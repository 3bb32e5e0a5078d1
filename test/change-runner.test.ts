// The change runner in-process, against the simulator: every change gathers (I/O) then
// plans (pure), the conflict loop gathers again, and runners hand back { result, exitCode }
// instead of writing the result or throwing for a refusal.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../src/cli';
import { runChange } from '../src/change/runChange';
import type { ChangeResult } from '../src/change/result';
import { CliError, ExitCode } from '../src/errors';
import type { Io } from '../src/io';
import type { Deployment } from '../src/kube/types';
import type { GlobalOptions } from '../src/options';
import { makeColors } from '../src/render/color';
import { planStop } from '../src/remedy/emergency';
import { startSim, type Sim } from './sim/index';
import type { Store } from './sim/store';

const NS = 'dhakacart';
const BACKEND = '/deployments/dhakacart-backend$';

function fakeIo(): Io & { stdout: string; stderr: string } {
  const io = {
    stdout: '', stderr: '',
    out: (t: string) => { io.stdout += t; },
    err: (t: string) => { io.stderr += t; },
    interactive: false, canPrompt: false, colors: makeColors(false), now: () => Date.now(),
    confirm: async () => false,
  };
  return io;
}

const globals = (sim: Sim): GlobalOptions => ({ kubeconfig: sim.kubeconfig, namespace: NS, output: 'json', requestTimeoutMs: 5000, color: false, debug: false });
const settings = { dryRun: false, yes: true, wait: false, timeoutMs: 10_000, settleMs: 0 };
const bump = (store: Store) => {
  const d = store.get('deployments.apps', NS, 'dhakacart-backend')!;
  d.metadata.labels = { ...d.metadata.labels, touched: 'yes' };
  store.update('deployments.apps', d);
};

test('a conflict gathers again and plans from the fresh facts; the result is returned, not written', async () => {
  const sim = await startSim({ scenario: 'crashloop-oom', faults: [{ method: 'PATCH', pathRegex: BACKEND, times: 1, mutate: bump }] });
  try {
    const io = fakeIo();
    const seen: string[] = [];
    const planned: string[] = [];
    const out = await runChange(globals(sim), settings, io, {
      target: undefined,
      cause: 'kubectl dhakacart emergency stop --yes',
      gather: async (_api, dep: Deployment) => { seen.push(dep.metadata.resourceVersion ?? ''); return dep.metadata.resourceVersion ?? ''; },
      plan: (dep, rv) => { planned.push(rv); return planStop(dep); },
    });
    assert.is(out.exitCode, ExitCode.ok);
    assert.is(seen.length, 2, 'gathered once, then again after the 409');
    assert.is.not(seen[0], seen[1], 'the second gather saw the fresh Deployment');
    assert.equal(planned, seen, 'each plan is made from what its gather returned');
    const r = out.result as ChangeResult;
    assert.is(r.applied, true);
    assert.is(io.stdout, '', 'the runner writes no result itself');
    assert.is(sim.store.get('deployments.apps', NS, 'dhakacart-backend')!.spec.replicas, 0);
  } finally {
    await sim.close();
  }
});

test('runCli renders the result the runner returned: one JSON document on stdout, the plan on stderr', async () => {
  const sim = await startSim({ scenario: 'crashloop-oom' });
  try {
    const io = fakeIo();
    const code = await runCli(['emergency', 'stop', '--yes', '--no-wait', '-o', 'json', '--kubeconfig', sim.kubeconfig], () => io, {});
    assert.is(code, ExitCode.ok);
    const r = JSON.parse(io.stdout) as ChangeResult;
    assert.equal([r.action, r.target, r.applied, r.message], ['emergency stop', 'deployment/dhakacart-backend', true, 'applied; not waiting for the rollout (--no-wait)']);
    assert.match(io.stderr, /emergency stop on deployment\/dhakacart-backend/);
  } finally {
    await sim.close();
  }
});

test('fix db on a broken database path is a refusal result (exit 1, error lines on stderr), not a thrown error', async () => {
  const sim = await startSim({ scenario: 'crashloop-db' });
  try {
    const io = fakeIo();
    const code = await runCli(['fix', 'db', '--yes', '--no-wait', '-o', 'json', '--kubeconfig', sim.kubeconfig], () => io, {});
    assert.is(code, ExitCode.problems);
    assert.is(io.stdout, '');
    assert.match(io.stderr, /^error: the database path is broken, so a restart would not help: .*\nhint: /m);
  } finally {
    await sim.close();
  }
});

test('a failure after the change landed: runCli renders the partial result, then the error goes on to main', async () => {
  const sim = await startSim({ scenario: 'crashloop-oom' });
  // Once the patch is in, reading the Deployment is forbidden: the rollout cannot be followed.
  sim.faults.push({ method: 'PATCH', pathRegex: BACKEND, times: 1, mutate: () => { sim.faults.push({ method: 'GET', pathRegex: BACKEND, status: 403 }); } });
  try {
    const io = fakeIo();
    const failure = await runCli(['emergency', 'stop', '--yes', '-o', 'json', '--kubeconfig', sim.kubeconfig], () => io, {}).then(() => null, (e: unknown) => e);
    assert.instance(failure, CliError);
    assert.is((failure as CliError).kind, 'cluster');
    const r = JSON.parse(io.stdout) as ChangeResult;
    assert.is(r.applied, true);
    assert.is(r.rollout.status, 'unknown');
    assert.match(r.message ?? '', /^the change was applied, but its rollout could not be followed: /);
  } finally {
    await sim.close();
  }
});

test.run();
