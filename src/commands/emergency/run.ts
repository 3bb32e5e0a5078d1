import { usageError } from '../../errors';
import type { Io } from '../../io';
import type { GlobalOptions } from '../../options';
import { planResume, planStop } from '../../remedy/emergency';
import { planImage } from '../../remedy/image';
import type { Plan } from '../../remedy/plan';
import { commandLine } from '../../change/cause';
import { changeSettings } from '../../change/options';
import type { ChangeReport } from '../../change/result';
import { runChange } from '../../change/runChange';
import type { Outcome } from '../types';
import type { Deployment } from '../../kube/types';
import type { EmergencyArgs } from './index';

export async function runEmergency(g: GlobalOptions, a: EmergencyArgs, io: Io): Promise<Outcome<ChangeReport>> {
  if (a.replicas !== undefined && a.action !== 'resume') throw usageError('--replicas goes with emergency resume');
  const plans: Record<EmergencyArgs['action'], (dep: Deployment) => Plan> = {
    stop: (dep) => planStop(dep),
    resume: (dep) => planResume(dep, a.replicas),
    image: (dep) => planImage(dep, [], { to: a.tag, container: a.container }, null, 'emergency image'),
  };
  return runChange(g, changeSettings(a), io, { target: a.deployment, cause: commandLine(), gather: async () => null, plan: (dep) => plans[a.action](dep) });
}
