// Plain manifests (test/e2e/) → a scenario: the baseline's nodes, and the settings under which
// the simulator's own controllers make those workloads fail the way a real kubelet and
// scheduler would, read from what each manifest says. The workloads themselves are not in the
// scenario: the e2e harness applies them through the API, as it does on a real cluster, and
// the deployment controller decides each new pod (controllers/pods.ts).
//
// What is read, per container of a Deployment's pod template (first that applies):
// - a `sh -c` script whose last statement is `exit N` (N ≠ 0): it crashes at start;
// - env ALLOCATE_MIB (the memory the script allocates) above the memory limit: OOMKilled;
// - env STARTUP_SECONDS (how long it takes to listen) past the startup probe's budget: killed
//   by the startup probe;
// - a liveness probe on a port other than its one declared containerPort: refused, restarted.
// The cluster decides the rest unaided: an image the manifests do not pin by digest is taken
// not to exist (the registry), a missing Secret key, a DB_HOST Service with no ready pod, and
// requests no node can hold.
// Not read: what a script does beyond its `echo` lines and a final `exit`. A program that
// fails some other way (a segfault, a deadlock, a full disk) cannot be made to fail here from
// its manifest alone; such a case needs a scenario file with explicit podRules.
/* eslint-disable @typescript-eslint/no-explicit-any */
import fs from 'node:fs';
import { loadAll } from 'js-yaml';
import { loadScenario, type Scenario } from './scenario';
import { emptySettings, type ContainerLogs, type PodRule, type ProxyAnswer, type SimSettings } from './settings';
import type { KObj } from './store';

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;

/** Every Kubernetes object of these YAML files (`List`s flattened). */
export function readManifests(files: string[]): KObj[] {
  const out: KObj[] = [];
  for (const f of files) {
    for (const d of loadAll(fs.readFileSync(f, 'utf8')) as any[]) {
      if (!d || typeof d !== 'object') continue;
      if (Array.isArray(d.items)) out.push(...d.items); else out.push(d);
    }
  }
  return out;
}

/** The script of `sh -c SCRIPT` (command and args joined as the runtime joins them), or null. */
function scriptOf(c: any): string | null {
  const argv: string[] = [...(c.command ?? []), ...(c.args ?? [])];
  const i = argv.indexOf('-c');
  return i >= 0 && /(^|\/)(ba)?sh$/.test(argv[0] ?? '') ? argv[i + 1] ?? null : null;
}

const literalEnv = (c: any): Record<string, string> =>
  Object.fromEntries(((c.env ?? []) as any[]).filter((e) => typeof e.value === 'string').map((e) => [e.name, e.value]));
const expand = (text: string, env: Record<string, string>) =>
  text.replace(/\$\{(\w+)\}|\$(\w+)/g, (m, a?: string, b?: string) => env[(a ?? b)!] ?? m);

const ECHO = /^echo\s+(["'])(.*)\1(?:\s*>&2)?\s*$/;
const statements = (script: string) => script.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));

/** What the script prints before its first statement matching `stop` (all of it without one). */
function printedBefore(script: string, env: Record<string, string>, stop?: RegExp): string | undefined {
  const lines: string[] = [];
  for (const s of statements(script)) {
    const echo = ECHO.exec(s);
    if (echo) { lines.push(expand(echo[2]!, env)); continue; }
    if (stop?.test(s)) break;
  }
  return lines.length ? lines.join('\n') + '\n' : undefined;
}

const exitCodeOf = (script: string): number | null => {
  const last = statements(script).at(-1) ?? '';
  const m = /^exit\s+(\d+)$/.exec(last);
  return m ? Number(m[1]) : null;
};

const probeBudget = (p: any) => (p.initialDelaySeconds ?? 0) + (p.failureThreshold ?? 3) * (p.periodSeconds ?? 10);
const numberEnv = (env: Record<string, string>, name: string): number | null => (/^\d+$/.test(env[name] ?? '') ? Number(env[name]) : null);

/** The one rule the container's manifest implies, or null when it runs as the cluster decides. */
function ruleOf(selector: string, c: any): PodRule | null {
  const env = literalEnv(c);
  const script = scriptOf(c);
  const base = { selector, container: c.name as string };
  const withLogs = (previous: string | undefined): { logs?: ContainerLogs } => (previous ? { logs: { previous } } : {});
  const exit = script ? exitCodeOf(script) : null;
  if (script && exit !== null && exit !== 0) return { ...base, outcome: 'crash', ...withLogs(printedBefore(script, env, /^exit\b/)) };
  const allocate = numberEnv(env, 'ALLOCATE_MIB');
  if (allocate !== null && c.resources?.limits?.memory) {
    // memoryLimitBelow: the rule stops holding once a fix raises the limit past the allocation.
    return { ...base, memoryLimitBelow: `${allocate}Mi`, outcome: 'oom', ...withLogs(script ? printedBefore(script, env, /ALLOCATE_MIB/) : undefined) };
  }
  const startup = numberEnv(env, 'STARTUP_SECONDS');
  if (startup !== null && c.startupProbe && probeBudget(c.startupProbe) < startup) {
    return { ...base, startupBudgetBelow: startup, outcome: 'probe', ...withLogs(script ? printedBefore(script, env, /^sleep\b/) : undefined) };
  }
  const declared = ((c.ports ?? []) as any[]).map((p) => p.containerPort as number);
  const lp = c.livenessProbe?.httpGet ?? c.livenessProbe?.tcpSocket;
  if (lp && declared.length === 1 && typeof lp.port === 'number' && lp.port !== declared[0]) {
    return { ...base, livenessPortNot: declared[0]!, outcome: 'probe', ...withLogs(script ? printedBefore(script, env) : undefined) };
  }
  return null;
}

/** A running container answers 200 on each of its declared ports at each path its probes ask. */
function answersOf(selector: string, c: any): ProxyAnswer[] {
  const paths = [...new Set(PROBES.map((p) => c[p]?.httpGet?.path).filter((p): p is string => typeof p === 'string'))];
  return ((c.ports ?? []) as any[]).flatMap((port) => paths.map((path) => ({ selector, port: port.containerPort as number, path, status: 200, body: 'ok\n' })));
}

const selectorOf = (labels: Record<string, string>) => Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',');

/** The settings the manifests imply (registry, podRules, proxy answers). */
export function settingsFromManifests(objects: KObj[]): SimSettings {
  const s = emptySettings();
  const templates = objects.filter((o) => o.kind === 'Deployment' && o.spec?.template).map((o) => o.spec.template);
  const containers = (t: any): any[] => [...(t.spec?.initContainers ?? []), ...(t.spec?.containers ?? [])];
  s.registry = [...new Set(templates.flatMap((t) => containers(t).map((c) => c.image as string)).filter((i) => i?.includes('@sha256:')))];
  for (const t of templates) {
    const selector = selectorOf(t.metadata?.labels ?? {});
    for (const c of t.spec?.containers ?? []) {
      const rule = ruleOf(selector, c);
      if (rule) s.podRules.push(rule);
      s.proxy.push(...answersOf(selector, c));
    }
  }
  return s;
}

/** A scenario for these manifest files: the baseline's nodes and the settings they imply. */
export function scenarioFromManifests(files: string[], name = 'e2e-manifests'): Scenario {
  const nodes = loadScenario('baseline').objects.filter((o) => o.kind === 'Node');
  return {
    name, description: `nodes of the baseline; ${files.length} manifest file(s) applied by the caller`, expect: {},
    settings: settingsFromManifests(readManifests(files)), objects: nodes,
  };
}
