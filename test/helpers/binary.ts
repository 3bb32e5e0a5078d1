import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DIST = path.join(ROOT, 'dist');
export const BIN = path.join(DIST, 'kubectl-dhakacart');
/** Debian's and Ubuntu's kubectl package: used when PATH has none. */
const DEBIAN_KUBECTL = '/usr/bin/kubectl';

/** The first executable `kubectl` on PATH, else Debian's, else null. */
export function findKubectl(searchPath = process.env.PATH ?? ''): string | null {
  const names = process.platform === 'win32' ? ['kubectl.exe', 'kubectl'] : ['kubectl'];
  const dirs = searchPath.split(path.delimiter).filter(Boolean);
  for (const file of [...dirs.flatMap((d) => names.map((n) => path.join(d, n))), DEBIAN_KUBECTL]) {
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) return file;
    } catch { /* not here */ }
  }
  return null;
}

const found = findKubectl();
/** Real kubectl, for the tests that compare with it or run the plugin through it. */
export const KUBECTL = found ?? DEBIAN_KUBECTL;
const HAS_KUBECTL = found !== null;
const NO_KUBECTL = `kubectl is neither on PATH nor at ${DEBIAN_KUBECTL}: this test runs real kubectl; install it (https://kubernetes.io/docs/tasks/tools/) or put it on PATH`;
if (!HAS_KUBECTL) process.stderr.write(`note: ${NO_KUBECTL}; the tests that need it fail with this message\n`);

function kubectlOrExplain(): string {
  if (!HAS_KUBECTL) throw new Error(NO_KUBECTL);
  return KUBECTL;
}

export interface RunResult { code: number | null; stdout: string; stderr: string; ms: number }

/** A HOME of its own, so no test ever reads or writes the user's ~/.kube. */
export const TEST_HOME = fs.mkdtempSync(path.join(os.tmpdir(), 'dhakacart-home-'));

export function baseEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  return { PATH: `${DIST}:/usr/bin:/bin`, HOME: TEST_HOME, NO_COLOR: '1', ...extra };
}

/** Runs the built binary (or `kubectl dhakacart` with via: 'kubectl'), with no TTY. */
export function run(args: string[], opts: { env?: Record<string, string | undefined>; via?: 'kubectl'; timeoutMs?: number } = {}): Promise<RunResult> {
  const [cmd, argv] = opts.via === 'kubectl' ? [kubectlOrExplain(), ['dhakacart', ...args]] : [BIN, args];
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
    const child = spawn(kubectlOrExplain(), ['--kubeconfig', kubeconfig, '--cache-dir', path.join(TEST_HOME, 'kube-cache'), '--request-timeout=10s', ...args],
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
