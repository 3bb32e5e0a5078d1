import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DIST = path.join(ROOT, 'dist');
export const BIN = path.join(DIST, 'kubectl-dhakacart');
export const KUBECTL = '/usr/bin/kubectl';

export interface RunResult { code: number | null; stdout: string; stderr: string; ms: number }

/** A HOME of its own, so no test ever reads or writes the user's ~/.kube. */
export const TEST_HOME = fs.mkdtempSync(path.join(os.tmpdir(), 'dhakacart-home-'));

export function baseEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  return { PATH: `${DIST}:/usr/bin:/bin`, HOME: TEST_HOME, NO_COLOR: '1', ...extra };
}

/** Runs the built binary (or `kubectl dhakacart` with via: 'kubectl'), with no TTY. */
export function run(args: string[], opts: { env?: Record<string, string | undefined>; via?: 'kubectl'; timeoutMs?: number } = {}): Promise<RunResult> {
  const [cmd, argv] = opts.via === 'kubectl' ? [KUBECTL, ['dhakacart', ...args]] : [BIN, args];
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { env: baseEnv(opts.env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: performance.now() - t0 });
    });
  });
}

export function json<T = Record<string, unknown>>(r: RunResult): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`stdout is not JSON (exit ${r.code}):\n${r.stdout}\nstderr:\n${r.stderr}`);
  }
}

/** Real kubectl against a simulator's kubeconfig, its discovery cache kept out of ~/.kube. */
export function kubectl(kubeconfig: string, args: string[]): Promise<RunResult> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(KUBECTL, ['--kubeconfig', kubeconfig, '--cache-dir', path.join(TEST_HOME, 'kube-cache'), '--request-timeout=10s', ...args],
      { env: baseEnv({ KUBECONFIG: '' }), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr, ms: performance.now() - t0 }); });
  });
}
