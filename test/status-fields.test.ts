// status keeps of each listed pod only the fields it shows and judges (statusPodFields, as
// each page arrives): over every scenario, the report and the table's extra facts built from
// the reduced pods equal those built from the whole ones.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { statusPodFields, type StatusSnapshot } from '../src/cluster/gatherStatus';
import { buildStatus } from '../src/commands/status/model';
import { DEFAULT_POD_SELECTOR } from '../src/kube/selector';
import type { Deployment, Pod, Service, StatefulSet } from '../src/kube/types';
import { listScenarios, loadScenario } from './sim/index';

function snapshotOf(name: string, now: number): StatusSnapshot {
  const objects = loadScenario(name, now).objects;
  const of = <T>(kind: string) => objects.filter((o) => o.kind === kind) as unknown as T[];
  const configMaps = new Map(of<{ metadata: { name: string; namespace?: string }; data?: Record<string, string> }>('ConfigMap')
    .map((c) => [`${c.metadata.namespace ?? ''}/${c.metadata.name}`, c.data ?? {}]));
  return { pods: of<Pod>('Pod'), deployments: of<Deployment>('Deployment'), statefulSets: of<StatefulSet>('StatefulSet'), services: of<Service>('Service'), configMaps, gaps: [] };
}

test('every scenario: status from the reduced pods equals status from the whole pods (--all, the default selector, -A)', () => {
  const now = Date.now();
  const clock = { now, windowMs: 3_600_000 };
  let pods = 0;
  for (const name of listScenarios()) {
    const whole = snapshotOf(name, now);
    const reduced = { ...whole, pods: structuredClone(whole.pods).map(statusPodFields) };
    pods += whole.pods.length;
    for (const [ns, selector] of [['dhakacart', null], ['dhakacart', DEFAULT_POD_SELECTOR], [null, null]] as const) {
      assert.equal(buildStatus(ns, selector, reduced, clock), buildStatus(ns, selector, whole, clock), `${name} ${ns} ${selector}`);
    }
  }
  assert.ok(pods > 50, `only ${pods} pods in the scenarios`);
});

test('statusPodFields drops what status neither shows nor judges', () => {
  const { pods } = snapshotOf('crashloop-oom', Date.now());
  const whole = pods.find((p) => p.status?.containerStatuses?.some((c) => c.lastState?.terminated))!;
  const reduced = statusPodFields(whole);
  const text = JSON.stringify(reduced);
  for (const gone of ['managedFields', 'resources', 'livenessProbe', 'volumes', 'conditions', 'imageID', 'containerID', 'ownerReferences']) {
    assert.not.ok(text.includes(`"${gone}"`), gone);
  }
  assert.ok(text.length < JSON.stringify(whole).length / 2, `${text.length} of ${JSON.stringify(whole).length}`);
});

test.run();
