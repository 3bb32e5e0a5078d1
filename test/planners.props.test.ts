// Properties of the patch planners over generated Deployments: what they promise holds for
// every memory quantity, probe, replica count and history, not just the fixtures. Patches
// are applied with the simulator's own strategic-merge / JSON patch code and diffed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { container, deployment, replicaSet } from './diagnose/fixtures';
import { parseQuantity } from '../src/kube/quantity';
import { diffLeaves, templatesEqual, withoutHash } from '../src/kube/template';
import type { Container, Deployment, Probe, ReplicaSet } from '../src/kube/types';
import { planResume, planStop, REPLICAS_BEFORE_EMERGENCY } from '../src/remedy/emergency';
import { planImage } from '../src/remedy/image';
import { planOom } from '../src/remedy/oom';
import { CHANGE_CAUSE_ANNOTATION } from '../src/kube/deployment';
import { landed, withChangeCause, type Change, type Plan } from '../src/remedy/plan';
import { planProbe } from '../src/remedy/probe';
import { planRollback } from '../src/remedy/rollback';
import { applyPatch } from './sim/patch';

const RUNS = { numRuns: 300 };
const CAUSE = 'kubectl dhakacart test';

/** The Deployment after the plan's patch (with its change-cause, as runChange sends it), as the API server would make it. */
function apply(dep: Deployment, plan: Plan): Deployment {
  const p = withChangeCause(plan.patch!, CAUSE);
  return applyPatch(p.type, dep, p.body) as Deployment;
}

/** Leaf rows of what changed between two Deployments, leaving out the change-cause every change sets. */
function diff(a: Deployment, b: Deployment): string[] {
  const rows = [...diffLeaves(a.metadata, b.metadata, 'metadata'), ...diffLeaves(a.spec, b.spec, 'spec')];
  return rows.filter((r) => r.path !== `metadata.annotations.${CHANGE_CAUSE_ANNOTATION}`).map((r) => JSON.stringify([r.path, r.from, r.to])).sort();
}

/**
 * A plan's rows in the same leaf form: `annotations[K]` is the map key K; a row that
 * removes a whole object (from "set" to none) stands for every leaf under it.
 */
function planned(plan: Plan, before: Deployment): string[] {
  const rows: string[] = [];
  for (const c of plan.changes) {
    if (/^revision /.test(String(c.from))) continue; // the rollback's headline row
    const path = c.path.replace(/annotations\[(.+)\]$/, 'annotations.$1');
    if (c.from === 'set' && c.to === null) {
      const sub = path.split(/\.(?![^[]*\])/).reduce<unknown>((o, k) => {
        const m = /^(\w+)\[(.+)\]$/.exec(k);
        const next = (o as Record<string, unknown>)?.[m ? m[1]! : k];
        return m ? (next as { name: string }[]).find((x) => x.name === m[2]) : next;
      }, before);
      rows.push(...diffLeaves(sub, undefined, path).map((r) => JSON.stringify([r.path, r.from, r.to])));
    } else rows.push(JSON.stringify([path, c.from, c.to] satisfies [string, Change['from'], Change['to']]));
  }
  return rows.sort();
}

/** The plan's rows are exactly what its patch changes, and the expectation recognises the result. */
function assertHonest(dep: Deployment, plan: Plan): Deployment {
  if (!plan.patch) {
    assert.equal(plan.changes, [], 'a plan without a patch shows no change');
    return dep;
  }
  const after = apply(dep, plan);
  assert.equal(planned(plan, dep), diff(dep, after));
  assert.ok(landed(after, plan.expect, CAUSE), 'the expectation matches the patched object');
  assert.not.ok(landed(dep, plan.expect, CAUSE), 'and not the object before');
  return after;
}

const binaryQuantity = fc.oneof(
  fc.integer({ min: 1, max: 16 }).map((n) => `${n}Gi`),
  fc.integer({ min: 16, max: 8192 }).map((n) => `${n}Mi`),
  fc.integer({ min: 100, max: 4000 }).map((n) => `${n}M`),
  fc.integer({ min: 65536, max: 4194304 }).map((n) => `${n}Ki`),
);

/** Limit and request (request ≤ limit, as the API server requires), either may be unset. */
const memoryPair = fc.tuple(fc.option(binaryQuantity, { nil: undefined }), fc.option(binaryQuantity, { nil: undefined }))
  .map(([a, b]) => {
    if (a && b && parseQuantity(b)! > parseQuantity(a)!) return [b, a] as const;
    return [a, b] as const;
  });

const probe: fc.Arbitrary<Probe> = fc.record({
  initialDelaySeconds: fc.integer({ min: 0, max: 300 }),
  timeoutSeconds: fc.integer({ min: 1, max: 60 }),
  periodSeconds: fc.integer({ min: 1, max: 60 }),
  failureThreshold: fc.integer({ min: 1, max: 10 }),
}, { requiredKeys: [] }).map((p) => ({ httpGet: { path: '/health', port: 5000 }, ...p }));

const sidecar = fc.option(fc.record({ limit: binaryQuantity, probe }), { nil: undefined });

function withContainers(limit: string | undefined, request: string | undefined, live: Probe | undefined, side: { limit: string; probe: Probe } | undefined, replicas = 3): Deployment {
  const backend: Container = container('backend', {
    image: 'dhakacart/backend:v1.4.2',
    resources: { limits: { cpu: '500m', ...(limit ? { memory: limit } : {}) }, requests: { cpu: '250m', ...(request ? { memory: request } : {}) } },
    ...(live ? { livenessProbe: live } : {}),
  });
  const extra = side ? [container('proxy', { image: 'envoy:1.30', resources: { limits: { memory: side.limit } }, livenessProbe: side.probe })] : [];
  const dep = deployment('dhakacart-backend', { containers: [backend, ...extra] });
  dep.spec.replicas = replicas;
  return dep;
}

/** Everything but the target container's resources (and the record fix oom keeps of itself). */
function outsideResources(d: Deployment): unknown {
  const c = structuredClone(d);
  delete c.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION];
  delete c.metadata.annotations?.['dhakacart.io/fix-oom-memory'];
  for (const x of c.spec.template.spec.containers) if (x.name === 'backend') delete x.resources;
  return c;
}

test('planOom never lowers a limit or request, touches only the target container\'s resources, and shows exactly what it sends', () => {
  fc.assert(fc.property(memoryPair, fc.option(binaryQuantity, { nil: undefined }), fc.option(binaryQuantity, { nil: undefined }), sidecar, ([limit, request], memory, memoryRequest, side) => {
    const dep = withContainers(limit, request, undefined, side);
    const plan = planOom(dep, [], { memory, memoryRequest });
    const after = assertHonest(dep, plan);
    const res = after.spec.template.spec.containers.find((c) => c.name === 'backend')!.resources!;
    const q = (s: string | undefined) => (s === undefined ? null : parseQuantity(s));
    if (limit) assert.ok(q(res.limits?.memory)! >= q(limit)!, `limit ${limit} → ${res.limits?.memory}`);
    if (request) assert.ok(q(res.requests?.memory)! >= q(request)!, `request ${request} → ${res.requests?.memory}`);
    if (plan.patch) assert.ok(q(res.requests?.memory)! <= q(res.limits?.memory)!, 'request within the limit');
    assert.equal(outsideResources(after), outsideResources(dep));
  }), RUNS);
});

test('planOom re-run after its own change without --memory is a noop; with --memory it still raises', () => {
  fc.assert(fc.property(memoryPair, ([limit, request]) => {
    const dep = withContainers(limit, request, undefined, undefined);
    const first = planOom(dep, [], {});
    const after = apply(dep, first);
    after.metadata.annotations![CHANGE_CAUSE_ANNOTATION] = 'kubectl dhakacart fix oom --yes';
    const again = planOom(after, [], {});
    assert.is(again.patch, null);
    assert.match(again.noop ?? '', /not doubling it again/);
    const bigger = planOom(after, [], { memory: '64Gi' });
    assert.ok(bigger.patch, 'an explicit --memory is honoured');
  }), RUNS);
});

test('planProbe with the defaults never tightens a liveness probe and touches only it', () => {
  const DEFAULTS = { initialDelaySeconds: 0, timeoutSeconds: 1, periodSeconds: 10, failureThreshold: 3 } as const;
  fc.assert(fc.property(probe, sidecar, (live, side) => {
    const dep = withContainers('512Mi', '256Mi', live, side);
    const plan = planProbe(dep, {});
    const after = assertHonest(dep, plan);
    const now = after.spec.template.spec.containers.find((c) => c.name === 'backend')!.livenessProbe!;
    for (const [k, d] of Object.entries(DEFAULTS) as [keyof typeof DEFAULTS, number][]) {
      assert.ok((now[k] ?? d) >= (live[k] ?? d), `${k}: ${live[k]} → ${now[k]}`);
    }
    const strip = (d: Deployment) => {
      const c = structuredClone(d);
      delete c.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION];
      for (const x of c.spec.template.spec.containers) if (x.name === 'backend') delete x.livenessProbe;
      return c;
    };
    assert.equal(strip(after), strip(dep));
  }), RUNS);
});

test('planProbe --disable removes exactly the liveness probe; explicit values are what is set', () => {
  fc.assert(fc.property(probe, fc.integer({ min: 0, max: 600 }), fc.integer({ min: 1, max: 10 }), (live, delay, threshold) => {
    const dep = withContainers('512Mi', undefined, live, undefined);
    const off = assertHonest(dep, planProbe(dep, { disable: true }));
    assert.is(off.spec.template.spec.containers[0]!.livenessProbe, undefined);
    const set = assertHonest(dep, planProbe(dep, { initialDelay: delay, failureThreshold: threshold }));
    assert.is(set.spec.template.spec.containers[0]!.livenessProbe!.initialDelaySeconds, delay);
    assert.is(set.spec.template.spec.containers[0]!.livenessProbe!.failureThreshold, threshold);
  }), RUNS);
});

test('planStop then planResume gives the replica count back, and a second stop keeps the remembered one', () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 50 }), (replicas, byHand) => {
    const dep = withContainers('512Mi', undefined, undefined, undefined, replicas);
    const stopped = assertHonest(dep, planStop(dep));
    assert.is(stopped.spec.replicas, 0);
    assert.is(stopped.metadata.annotations?.[REPLICAS_BEFORE_EMERGENCY], String(replicas));
    assert.ok(planStop(stopped).noop, 'stopping a stopped Deployment changes nothing');

    const scaled = structuredClone(stopped);
    scaled.spec.replicas = byHand;
    const again = assertHonest(scaled, planStop(scaled));
    assert.is(again.metadata.annotations?.[REPLICAS_BEFORE_EMERGENCY], String(replicas), 'remembered count kept');

    const resumed = assertHonest(again, planResume(again, undefined));
    assert.is(resumed.spec.replicas, replicas);
    assert.is(resumed.metadata.annotations?.[REPLICAS_BEFORE_EMERGENCY], undefined);
    const strip = (d: Deployment) => { const c = structuredClone(d); delete c.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION]; return c; };
    assert.equal(strip(resumed), strip(dep), 'round trip');
  }), RUNS);
});

/** A Deployment at its newest revision with ReplicaSets for each of `revisions` (distinct images, some extra annotations). */
const history = fc.uniqueArray(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 7 }).chain((revisions) =>
  fc.tuple(fc.constant(revisions), fc.array(fc.boolean(), { minLength: revisions.length, maxLength: revisions.length })))
  .map(([revisions, tagged]) => {
    const current = Math.max(...revisions);
    const image = (r: number) => `dhakacart/backend:v1.${r}`;
    const dep = deployment('dhakacart-backend', { revision: current, containers: [container('backend', { image: image(current) })], annotations: { [CHANGE_CAUSE_ANNOTATION]: `deploy ${current}` } });
    const rs: ReplicaSet[] = revisions.map((r, i) => replicaSet(dep, r, {
      containers: [container('backend', { image: image(r) })],
      annotations: { [CHANGE_CAUSE_ANNOTATION]: `deploy ${r}`, ...(tagged[i] ? { 'team.example.com/owner': `team-${r}` } : {}) },
    }));
    return { dep, rs, revisions };
  });

test('planRollback picks kubectl\'s revision and shows exactly what its patch changes', () => {
  fc.assert(fc.property(history, fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }), ({ dep, rs, revisions }, asked) => {
    const sorted = [...revisions].sort((a, b) => b - a);
    const to = asked ?? 0;
    const want = to === 0 ? sorted[1] : revisions.includes(to) ? to : undefined;
    if (want === undefined) {
      assert.throws(() => planRollback(dep, rs, to), to === 0 ? /no rollout history/ : /unable to find specified revision/);
      return;
    }
    const plan = planRollback(dep, rs, to);
    const target = rs.find((r) => r.metadata.annotations?.['deployment.kubernetes.io/revision'] === String(want))!;
    if (want === sorted[0]) {
      assert.match(plan.noop ?? '', /already matches revision/);
      return;
    }
    assert.is(plan.changes[0]!.to, `revision ${want}`);
    const after = assertHonest(dep, plan);
    assert.ok(templatesEqual(after.spec.template, withoutHash(target.spec.template)));
    assert.is(after.metadata.annotations?.['deployment.kubernetes.io/revision'], dep.metadata.annotations?.['deployment.kubernetes.io/revision'], 'the revision annotation is kept');
  }), RUNS);
});

test('planImage changes only the image of the target container and shows it', () => {
  fc.assert(fc.property(fc.stringMatching(/^v[0-9]{1,2}\.[0-9]{1,2}(-[a-z]{1,5})?$/), sidecar, (tag, side) => {
    const dep = withContainers('512Mi', undefined, undefined, side);
    const plan = planImage(dep, [], { to: tag }, null);
    const after = assertHonest(dep, plan);
    assert.is(after.spec.template.spec.containers[0]!.image, `dhakacart/backend:${tag}`);
  }), RUNS);
});

test.run();
