import { usageError } from '../../errors';
import type { Io } from '../../io';
import type { GlobalOptions } from '../../options';
import { planResume, planStop } from '../../remedy/emergency';
import { planImage } from '../../remedy/image';
import type { Plan } from '../../remedy/plan';
import { commandLine } from '../../change/cause';
import { changeSettings } from '../../change/options';
import { runChange } from '../../change/runChange';
import type { Deployment } from '../../kube/types';
import type { EmergencyArgs } from './index';

export async function runEmergency(g: GlobalOptions, a: EmergencyArgs & { container?: string }, io: Io): Promise<number> {
  if (a.replicas !== undefined && a.action !== 'resume') throw usageError('--replicas goes with emergency resume');
  const plans: Record<EmergencyArgs['action'], (dep: Deployment) => Plan> = {
    stop: (dep) => planStop(dep),
    resume: (dep) => planResume(dep, a.replicas),
    image: (dep) => planImage(dep, [], { to: a.tag, container: a.container }, null, 'emergency image'),
  };
  return runChange(g, changeSettings(a), io, { target: a.deployment, cause: commandLine(), plan: async (_api, dep) => plans[a.action](dep) });
}
