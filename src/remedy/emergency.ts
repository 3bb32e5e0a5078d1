import { clusterError, usageError } from '../errors';
import { REPLICAS_BEFORE_EMERGENCY } from '../kube/deployment';
import type { Deployment } from '../kube/types';
import type { Plan } from './plan';

// Health reads the annotation too (kube/deployment.ts), so it is defined there.
export { REPLICAS_BEFORE_EMERGENCY };

/**
 * Scale to zero, remembering the count, in one write so the two cannot disagree. A count
 * remembered by an earlier stop is kept: a stopped Deployment scaled up by hand and
 * stopped again must still resume to the count it had before the emergency.
 */
export function planStop(dep: Deployment): Plan {
  const replicas = dep.spec.replicas ?? 1;
  const remembered = dep.metadata.annotations?.[REPLICAS_BEFORE_EMERGENCY];
  const base = { action: 'emergency stop', deployment: dep.metadata.name, warnings: [] as string[], rollout: true };
  if (replicas === 0) return { ...base, changes: [], patch: null, expect: {}, rollout: false, noop: `deployment ${dep.metadata.name} is already scaled to 0` };
  const warnings = [`every pod of ${dep.metadata.name} will stop: the service is DOWN until 'emergency resume'`];
  if (remembered !== undefined) {
    warnings.push(`deployment ${dep.metadata.name} already remembers ${remembered} replicas from an earlier emergency stop; keeping ${remembered} (it runs ${replicas} now), so 'emergency resume' goes back to ${remembered}`);
    return {
      ...base, warnings, noop: null,
      changes: [{ path: 'spec.replicas', from: replicas, to: 0 }],
      patch: { type: 'strategic', body: { spec: { replicas: 0 } } },
      expect: { replicas: 0, annotations: { [REPLICAS_BEFORE_EMERGENCY]: remembered } },
    };
  }
  return {
    ...base, warnings, noop: null,
    changes: [
      { path: 'spec.replicas', from: replicas, to: 0 },
      { path: `metadata.annotations[${REPLICAS_BEFORE_EMERGENCY}]`, from: null, to: String(replicas) },
    ],
    patch: { type: 'strategic', body: { metadata: { annotations: { [REPLICAS_BEFORE_EMERGENCY]: String(replicas) } }, spec: { replicas: 0 } } },
    expect: { replicas: 0, annotations: { [REPLICAS_BEFORE_EMERGENCY]: String(replicas) } },
  };
}

export function planResume(dep: Deployment, replicasFlag: number | undefined): Plan {
  const remembered = dep.metadata.annotations?.[REPLICAS_BEFORE_EMERGENCY];
  let replicas = replicasFlag;
  if (replicas === undefined) {
    if (remembered === undefined) {
      throw clusterError(`deployment ${dep.metadata.name} has no ${REPLICAS_BEFORE_EMERGENCY} annotation: it was not stopped by 'emergency stop'`, 'pass --replicas N');
    }
    replicas = Number.parseInt(remembered, 10);
  }
  if (!Number.isInteger(replicas) || replicas < 0) throw usageError(`invalid replica count ${replicasFlag ?? remembered}`, 'pass --replicas N with N >= 0');
  const current = dep.spec.replicas ?? 1;
  const changes = [
    ...(current !== replicas ? [{ path: 'spec.replicas', from: current, to: replicas }] : []),
    ...(remembered !== undefined ? [{ path: `metadata.annotations[${REPLICAS_BEFORE_EMERGENCY}]`, from: remembered, to: null }] : []),
  ];
  return {
    action: 'emergency resume',
    deployment: dep.metadata.name,
    changes,
    patch: changes.length ? { type: 'strategic', body: { metadata: { annotations: { [REPLICAS_BEFORE_EMERGENCY]: null } }, spec: { replicas } } } : null,
    expect: changes.length ? { replicas, annotations: { [REPLICAS_BEFORE_EMERGENCY]: null } } : {},
    warnings: [],
    rollout: changes.length > 0,
    noop: changes.length ? null : `deployment ${dep.metadata.name} already runs ${current} replicas`,
  };
}
