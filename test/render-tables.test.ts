// Whole rendered output, compared exactly: `status`, `why POD` and `fix oom --dry-run` run
// in-process through runCli with a fake Io and a fixed clock against the simulator. A
// column that shifts, a header that changes, a row that moves or a line that goes missing
// fails here, where the end-to-end tests (which match a few lines) would let it pass.
// When a change of layout is intended, update the text below from the failure's diff.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../src/cli';
import type { Io } from '../src/io';
import { makeColors } from '../src/render/color';
import { loadScenario, startSim, type Sim } from './sim/index';

const SCENARIO = 'crashloop-oom';
const POD = 'dhakacart-backend-7d9f8c6b5d-x2x9k';
/** The scenario file's own "now": its timestamps, ages and log lines stay as written. */
const NOW = Date.parse(loadScenario(SCENARIO).settings.now ?? '');

/**
 * The simulator shifts a scenario's timestamps so that its `now` is the current time, read
 * from Date.now() while startSim begins (synchronously, before its first await). Pinning
 * that one read to NOW keeps every timestamp as the file has it.
 */
function startPinned(): Promise<Sim> {
  const realNow = Date.now;
  Date.now = () => NOW;
  try {
    return startSim({ scenario: SCENARIO });
  } finally {
    Date.now = realNow;
  }
}

interface Captured { code: number; out: string; err: string }

/** Runs the CLI as main.ts does, with the output captured and the clock fixed at NOW. */
async function cli(sim: Sim, argv: string[], color = false, columns?: number): Promise<Captured> {
  let out = '';
  let err = '';
  const io: Io = {
    out: (t) => { out += t; },
    err: (t) => { err += t; },
    interactive: false,
    canPrompt: false,
    colors: makeColors(color),
    now: () => NOW,
    confirm: () => Promise.reject(new Error('no prompt expected')),
    ...(columns ? { columns } : {}),
  };
  // The kubeconfig is read from the process environment (src/cluster/connect.ts).
  const saved = process.env.KUBECONFIG;
  process.env.KUBECONFIG = sim.kubeconfig;
  try {
    const code = await runCli(argv, () => io, {});
    return { code, out, err };
  } finally {
    if (saved === undefined) delete process.env.KUBECONFIG; else process.env.KUBECONFIG = saved;
  }
}

/** The text after the opening line break, so that in this file the tables line up as printed. */
const text = (t: TemplateStringsArray) => t.raw[0]!.slice(1);

const STATUS = text`
DEPLOYMENT          READY  UP-TO-DATE  AVAILABLE  REVISION  IMAGES                     STATE
dhakacart-backend   2/3    3           2          7         dhakacart/backend:v1.4.2   degraded
dhakacart-frontend  2/2    2           2          3         dhakacart/frontend:v2.3.0  ok

NAME                                APP                 READY  STATUS            RESTARTS      LAST TERMINATION      NODE                AGE
dhakacart-backend-7d9f8c6b5d-k8m2p  dhakacart-backend   1/1    Running           0             <none>                dhakacart-worker-2  41m
dhakacart-backend-7d9f8c6b5d-q7w4n  dhakacart-backend   1/1    Running           0             <none>                dhakacart-worker-3  40m
dhakacart-backend-7d9f8c6b5d-x2x9k  dhakacart-backend   0/1    CrashLoopBackOff  7 (4m2s ago)  OOMKilled (exit 137)  dhakacart-worker-1  41m
dhakacart-frontend-5f6d8c9b7-hj4tz  dhakacart-frontend  1/1    Running           0             <none>                dhakacart-worker-2  3d20h
dhakacart-frontend-5f6d8c9b7-m9xvq  dhakacart-frontend  1/1    Running           0             <none>                dhakacart-worker-3  3d20h

DEPENDENCY            VIA                                     HEALTHY  REASON
statefulset/postgres  env DB_HOST → Service postgres-service  yes
deployment/redis      env REDIS_HOST → Service redis-service  yes

1 of 5 pods unhealthy in namespace dhakacart.
deployment/dhakacart-backend is degraded: 2/3 available, 3 up to date.
Next: kubectl dhakacart why -n dhakacart
`;

const WHY = text`
Pod dhakacart-backend-7d9f8c6b5d-x2x9k container backend in dhakacart
OOM (confirmed): container backend was OOMKilled (exit 137) at its 512Mi memory limit; restarted 7 times.

SOURCE      EVIDENCE                                                                                                                                                                                       AGE
status      lastState.terminated of backend: OOMKilled, exit 137 (SIGKILL: killed from outside: the OOM killer, or a stop that outlived its grace period), after 106s running                              4m2s
spec        memory of backend: limit 512Mi, request 256Mi
deployment  restarts began 5m31s after revision 7 rolled out image dhakacart/backend:v1.4.2 (revision 6 ran dhakacart/backend:v1.4.1); change-cause: CI: deploy dhakacart/backend:v1.4.2 (pipeline #1187)  41m
status      backend waiting: CrashLoopBackOff: back-off 5m0s restarting failed container=backend pod=dhakacart-backend-7d9f8c6b5d-x2x9k_dhakacart(3f1c2b7e-8a4d-4c6e-9b21-5d7e8f9a0b1c)
event       BackOff (x31 over 36m): Back-off restarting failed container backend in pod dhakacart-backend-7d9f8c6b5d-x2x9k_dhakacart(3f1c2b7e-8a4d-4c6e-9b21-5d7e8f9a0b1c)                                 14s
log         previous log, no line looks like an error: 2025-03-14T10:25:57.731Z warn: heap used 471 MB, rss 509 MB (container limit 512 MB)

Last log lines (previous log, no line looks like an error):
  2025-03-14T10:24:40.118Z warn: heap used 289 MB, rss 341 MB (container limit 512 MB)
  2025-03-14T10:25:05.447Z warn: heap used 372 MB, rss 425 MB (container limit 512 MB)
  2025-03-14T10:25:31.902Z warn: heap used 448 MB, rss 497 MB (container limit 512 MB)
  2025-03-14T10:25:50.266Z warn: GC pressure: mark-compact took 1214 ms, freed 3 MB
  2025-03-14T10:25:57.731Z warn: heap used 471 MB, rss 509 MB (container limit 512 MB)

Next: kubectl dhakacart fix oom deployment/dhakacart-backend -n dhakacart --memory 1Gi
  which does: kubectl patch deployment dhakacart-backend -n dhakacart --type strategic -p '{"spec":{"template":{"spec":{"containers":[{"name":"backend","resources":{"limits":{"memory":"1Gi"},"requests":{"memory":"512Mi"}}}]}}},"metadata":{"annotations":{"dhakacart.io/fix-oom-memory":"backend=1Gi"}}}'
`;

const FIX_OOM_DRY_RUN = text`
fix oom on deployment/dhakacart-backend:
CHANGE                                                            FROM    TO
spec.template.spec.containers[backend].resources.limits.memory    512Mi   1Gi
spec.template.spec.containers[backend].resources.requests.memory  256Mi   512Mi
metadata.annotations[dhakacart.io/fix-oom-memory]                 <none>  backend=1Gi
server-side dry run accepted the change; nothing was applied
`;

const CASES: [argv: string[], code: number, text: string][] = [
  [['status'], 1, STATUS],
  [['why', POD], 1, WHY],
  [['fix', 'oom', 'deployment/dhakacart-backend', '--dry-run'], 0, FIX_OOM_DRY_RUN],
];

let sim: Sim;
test.before(async () => { sim = await startPinned(); });
test.after(() => sim.close());

for (const [argv, code, text] of CASES) {
  test(`${argv.join(' ')}: the whole output, exactly`, async () => {
    const r = await cli(sim, argv);
    assert.fixture(r.out, text);
    assert.is(r.err, '');
    assert.is(r.code, code);
  });
}

test('colour changes no layout: the coloured tables, styles removed, are the plain ones', async () => {
  for (const [argv, , text] of CASES) {
    const r = await cli(sim, argv, true);
    assert.ok(r.out.includes('\x1b['), `${argv.join(' ')}: some colour`);
    assert.fixture(r.out.replace(/\x1b\[\d+m/g, ''), text);
  }
});

test('why on an 80-column terminal: the evidence table fits, its rows wrapped; -o wide keeps the full lines', async () => {
  const table = (out: string) => out.slice(out.indexOf('SOURCE'), out.indexOf('\n\n', out.indexOf('SOURCE'))).split('\n');
  const narrow = table((await cli(sim, ['why', POD], false, 80)).out);
  assert.ok(narrow.every((l) => l.length <= 80), narrow.filter((l) => l.length > 80).join('\n'));
  const full = table(WHY);
  // The evidence column, read down and without the spaces wrapping adds or removes, says the same.
  const column = (rows: string[]) => {
    const [head] = rows;
    const from = head!.indexOf('EVIDENCE');
    const to = head!.indexOf('AGE');
    return rows.slice(1).map((l) => l.slice(from, to)).join('').replace(/\s+/g, '');
  };
  assert.is(column(narrow), column(full));
  const sources = (rows: string[]) => rows.slice(1).map((l) => l.slice(0, 12).trim()).filter(Boolean);
  assert.equal(sources(narrow), sources(full));
  assert.ok(narrow.length > full.length);
  const wide = await cli(sim, ['why', POD, '-o', 'wide'], false, 80);
  assert.equal(table(wide.out), full);
});

test('the dry run changed nothing: the deployment keeps its 512Mi limit', () => {
  const dep = sim.store.get('deployments.apps', 'dhakacart', 'dhakacart-backend');
  const backend = dep?.spec?.template?.spec?.containers?.find((c: { name: string }) => c.name === 'backend');
  assert.is(backend?.resources?.limits?.memory, '512Mi');
});

test.run();
