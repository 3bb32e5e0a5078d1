// The end-to-end run, the same against any cluster: a namespace of its own, the manifests of
// test/e2e applied with kubectl, a bounded wait for each workload to reach its failure, then
// `status`, `why` and the proposed `fix` through the built binary, checked by meaning
// (cases.ts), and the namespace deleted whatever happened.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadAll } from 'js-yaml';
import { CASES, type Case } from './cases';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const MANIFESTS = path.join(ROOT, 'test/e2e/manifests');
/** Applied once the first wave's rollouts are done: the bad deploys (a revision 2 to go back from). */
export const ROLLOUTS = path.join(ROOT, 'test/e2e/rollout');
export const BIN = path.join(ROOT, 'dist/kubectl-dhakacart');

export const yamlFiles = (dir: string) => fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort().map((f) => path.join(dir, f));
export const manifestFiles = () => [...yamlFiles(MANIFESTS), ...yamlFiles(ROLLOUTS)];

export interface HarnessOptions {
  /** kubeconfig file (default: KUBECONFIG / ~/.kube/config, as kubectl finds it). */
  kubeconfig?: string;
  context?: string;
  namespace: string;
  kubectl: string;
  bin?: string;
  /** Directory for the `why --save` snapshots (one per workload). */
  saveDir: string;
  /** How long a workload may take to reach its failure, a fix its recovery, the namespace its deletion. */
  failureTimeoutMs: number;
  fixTimeout: string;
  /** The fix's --settle (how long restart counts must stay still). */
  settle: string;
  pollMs: number;
  /** kubectl's discovery cache (the simulator's: a temp dir, so ~/.kube/cache is left alone). */
  kubectlCacheDir?: string;
  /** kubectl apply --validate=false: for an API server without OpenAPI (the simulator). */
  noValidate?: boolean;
  /** The workloads to check (default: all of cases.ts). */
  cases?: Case[];
  log: (line: string) => void;
}

export interface CaseResult { workload: string; cause: string | null; fix: string | null; recovered: boolean | null; problems: string[] }
export interface HarnessResult { ok: boolean; namespace: string; status: { exitCode: number | null; problems: string[] }; cases: CaseResult[]; setup: string[] }

interface Run { code: number | null; stdout: string; stderr: string }

function exec(cmd: string, args: string[], input?: string, timeoutMs = 300_000): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : null) : 0;
      resolve({ code, stdout, stderr });
    });
    if (input !== undefined) child.stdin!.end(input);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function deploymentsIn(files: string[]): string[] {
  return files.flatMap((f) => (loadAll(fs.readFileSync(f, 'utf8')) as { kind?: string; metadata?: { name?: string } }[])
    .filter((d) => d?.kind === 'Deployment' && d.metadata?.name).map((d) => d.metadata!.name!));
}

interface PodJson {
  metadata: { name: string; labels?: Record<string, string>; deletionTimestamp?: string };
  status?: {
    conditions?: { type: string; status: string; reason?: string }[];
    containerStatuses?: { restartCount?: number; lastState?: { terminated?: unknown }; state?: { waiting?: { reason?: string } } }[];
  };
}

const FAILING_WAIT = new Set(['CrashLoopBackOff', 'ErrImagePull', 'ImagePullBackOff', 'CreateContainerConfigError', 'InvalidImageName']);

/** The pod shows a failure a diagnosis can read: a restart after a termination, a failing wait, or no node. */
export function showsFailure(p: PodJson): boolean {
  if (p.metadata.deletionTimestamp) return false;
  if ((p.status?.conditions ?? []).some((c) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable')) return true;
  return (p.status?.containerStatuses ?? []).some((c) => ((c.restartCount ?? 0) > 0 && !!c.lastState?.terminated) || FAILING_WAIT.has(c.state?.waiting?.reason ?? ''));
}

/** A proposed `kubectl ...` command as argv, or null for a comment or one that needs a shell (quotes, variables). */
export function commandArgv(command: string): string[] | null {
  const words = command.replace(/\s+#.*$/, '').trim().split(/\s+/);
  if (words[0] !== 'kubectl' || words.some((w) => /['"`$\\]/.test(w))) return null;
  return words;
}

interface Diagnosis { pod: string; cause: string; fix: { command: string; kubectl: string[] } | null }

export async function runHarness(o: HarnessOptions): Promise<HarnessResult> {
  const cases = o.cases ?? CASES;
  const conn = [...(o.kubeconfig ? ['--kubeconfig', o.kubeconfig] : []), ...(o.context ? ['--context', o.context] : [])];
  const ns = ['-n', o.namespace];
  const cache = o.kubectlCacheDir ? ['--cache-dir', o.kubectlCacheDir] : [];
  const kubectl = (args: string[], input?: string) => exec(o.kubectl, [...conn, ...cache, ...args], input);
  const plugin = (args: string[]) => exec(o.bin ?? BIN, [...args, ...conn, ...ns]);
  const setup: string[] = [];
  const must = async (what: string, args: string[], input?: string) => {
    const r = await kubectl(args, input);
    if (r.code !== 0) throw new Error(`${what}: kubectl ${args.join(' ')} exited ${r.code}: ${r.stderr.trim() || r.stdout.trim()}`);
    o.log(`${what}: ok`);
    return r;
  };
  const apply = (files: string[]) => ['apply', ...ns, ...(o.noValidate ? ['--validate=false'] : []), ...files.flatMap((f) => ['-f', f])];
  const pods = async (): Promise<PodJson[]> => {
    const r = await kubectl(['get', 'pods', ...ns, '-o', 'json']);
    return r.code === 0 ? (JSON.parse(r.stdout) as { items: PodJson[] }).items : [];
  };
  const podsOf = (all: PodJson[], workload: string) => all.filter((p) => p.metadata.name.startsWith(`${workload}-`));
  const until = async (what: string, timeoutMs: number, ok: () => Promise<boolean>): Promise<boolean> => {
    const end = Date.now() + timeoutMs;
    for (;;) {
      if (await ok()) return true;
      if (Date.now() > end) { setup.push(`${what}: not reached within ${Math.round(timeoutMs / 1000)}s`); return false; }
      await sleep(o.pollMs);
    }
  };

  const results: CaseResult[] = cases.map((c) => ({ workload: c.workload, cause: null, fix: null, recovered: null, problems: [] }));
  const status = { exitCode: null as number | null, problems: [] as string[] };
  try {
    const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: o.namespace, labels: { 'app.kubernetes.io/part-of': 'dhakacart-e2e' } } };
    await must(`namespace ${o.namespace}`, ['apply', ...(o.noValidate ? ['--validate=false'] : []), '-f', '-'], JSON.stringify(namespace));
    await must('manifests', apply(yamlFiles(MANIFESTS)));
    const rolled = yamlFiles(ROLLOUTS);
    for (const name of deploymentsIn(rolled)) {
      // A bad deploy needs a good revision before it: wait for that one (bounded), then roll out the bad one.
      await must(`revision 1 of ${name}`, ['rollout', 'status', ...ns, `deployment/${name}`, `--timeout=${Math.round(o.failureTimeoutMs / 1000)}s`]);
    }
    if (rolled.length) await must('rollouts', apply(rolled));

    o.log(`waiting up to ${Math.round(o.failureTimeoutMs / 1000)}s for ${cases.length} workloads to fail`);
    await until('failures', o.failureTimeoutMs, async () => {
      const all = await pods();
      return cases.every((c) => podsOf(all, c.workload).some(showsFailure));
    });
    const all = await pods();
    const failing = cases.map((c) => podsOf(all, c.workload).find(showsFailure)?.metadata.name ?? null);
    for (const [i, pod] of failing.entries()) if (!pod) results[i]!.problems.push('never reached its failure');

    const st = await plugin(['status', '--all', '-o', 'json']);
    status.exitCode = st.code;
    if (st.code !== 1) status.problems.push(`status exited ${st.code}, want 1 (problems found): ${st.stderr.trim()}`);
    else {
      const shown = (JSON.parse(st.stdout) as { pods: { name: string; healthy: boolean }[] }).pods;
      for (const c of cases) if (!shown.some((p) => p.name.startsWith(`${c.workload}-`) && !p.healthy)) status.problems.push(`status shows no unhealthy pod of ${c.workload}`);
    }

    fs.mkdirSync(o.saveDir, { recursive: true });
    for (const [i, c] of cases.entries()) if (failing[i]) await checkCase(c, failing[i]!, results[i]!);
  } catch (e) {
    setup.push((e as Error).message);
  } finally {
    const del = await kubectl(['delete', 'namespace', o.namespace, '--ignore-not-found', '--wait=true', `--timeout=${Math.round(o.failureTimeoutMs / 1000)}s`]);
    if (del.code !== 0) setup.push(`namespace ${o.namespace} not deleted: ${del.stderr.trim()}`);
    else o.log(`namespace ${o.namespace} deleted`);
  }
  const ok = !setup.length && !status.problems.length && results.every((r) => !r.problems.length);
  return { ok, namespace: o.namespace, status, cases: results, setup };

  // The failing pod, as the alert names it: `why deployment/NAME` looks only at the default selector's pods.
  async function checkCase(c: Case, pod: string, res: CaseResult): Promise<void> {
    const problem = (p: string) => { res.problems.push(p); o.log(`${c.workload}: ${p}`); };
    const r = await plugin(['why', pod, '-o', 'json', '--save', path.join(o.saveDir, `${c.workload}.json`)]);
    const code = r.code;
    let d: Diagnosis;
    try { d = JSON.parse(r.stdout) as Diagnosis; } catch { return problem(`why ${pod} exited ${code} with no JSON: ${r.stderr.trim()}`); }
    res.cause = d.cause;
    res.fix = d.fix?.command ?? null;
    if (code !== 1) problem(`why exited ${code}, want 1 (a failure diagnosed)`);
    if (d.cause !== c.cause) problem(`cause ${d.cause}, want ${c.cause}`);
    const command = d.fix?.command ?? null;
    if (c.fix === null && command !== null) problem(`fix ${command}, want none`);
    if (c.fix === 'manual' && !(command?.startsWith('#') && d.fix!.kubectl.length > 0)) problem(`fix ${command}, want a step for a human with its kubectl`);
    const argv = command ? commandArgv(command) : null;
    if (c.fix && c.fix !== 'manual' && !(argv && argv.join(' ').startsWith(c.fix))) problem(`fix ${command}, want ${c.fix} ...`);
    if (!c.recovers || res.problems.length || !argv) return;

    // Our own connection and namespace flags replace the command's -n.
    const own = argv.filter((w, j) => !(w === '-n' || argv[j - 1] === '-n'));
    const steps: string[][] = [];
    if (own[1] === 'dhakacart') steps.push(own.slice(2));
    else {
      const r = await kubectl([...own.slice(1), ...ns]);
      if (r.code !== 0) return problem(`${own.join(' ')} exited ${r.code}: ${r.stderr.trim()}`);
      const changed = own.find((w) => /^(deployment|statefulset)\//.test(w));
      if (changed) {
        const rolled = await kubectl(['rollout', 'status', changed, ...ns, `--timeout=${Math.round(o.failureTimeoutMs / 1000)}s`]);
        if (rolled.code !== 0) return problem(`${changed} did not roll out after ${own.join(' ')}: ${rolled.stderr.trim()}`);
      }
      if (c.then) steps.push(c.then);
    }
    for (const step of steps) {
      const fixed = await plugin([...step, '--yes', '-o', 'json', '--timeout', o.fixTimeout, '--settle', o.settle]);
      let verified = false;
      try { verified = (JSON.parse(fixed.stdout) as { verified?: boolean }).verified === true; } catch { /* reported below */ }
      if (fixed.code !== 0 || !verified) {
        res.recovered = false;
        return problem(`${step.slice(0, 2).join(' ')} exited ${fixed.code} (verified ${verified}): ${fixed.stderr.trim().split('\n').slice(-3).join(' | ')}`);
      }
    }
    const after = await plugin(['status', '-l', `app=${c.workload}`, '-o', 'json']);
    res.recovered = after.code === 0;
    if (!res.recovered) problem(`after the fix status -l app=${c.workload} exited ${after.code}, want 0 (healthy): ${after.stdout.trim().slice(0, 400)}`);
  }
}
