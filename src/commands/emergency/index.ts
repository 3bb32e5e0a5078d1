import { checkInteger, checkName, checkTag, type Checks } from '../../kube/validate';
import { addChangeOptions, checkChangeArgs, type ChangeArgs } from '../../change/options';
import type { ChangeReport } from '../../change/result';
import type { CommandSpec } from '../types';

export const EMERGENCY_ACTIONS = ['stop', 'resume', 'image'] as const;

export interface EmergencyArgs extends ChangeArgs { action: (typeof EMERGENCY_ACTIONS)[number]; deployment?: string; replicas?: number; tag: string; container?: string }

function checkEmergency(a: Omit<EmergencyArgs, 'replicas'> & { replicas?: string }, checks: Checks): EmergencyArgs {
  checkChangeArgs(a, a.deployment, checks);
  checks.take(checkTag(a.tag, '--tag'));
  checks.optional(a.container, (t) => checkName(t, 'container', 'label'));
  return { ...a, replicas: checks.optional(a.replicas, (t) => checkInteger(t, '--replicas', { min: 0 })) };
}

export const emergencyCommand: CommandSpec<EmergencyArgs, ChangeReport> = {
  command: 'emergency <action> [deployment]',
  describe: 'stop (scale to 0, remembering the count), resume (scale back), image (switch to the emergency image)',
  builder: (y) =>
    addChangeOptions(y)
      .positional('action', { choices: EMERGENCY_ACTIONS, describe: 'What to do' })
      .positional('deployment', { type: 'string', describe: 'deployment/NAME or a pod name (default: deployment/dhakacart-backend)' })
      .option('replicas', { type: 'string', requiresArg: true, describe: 'resume: replica count (default: the one remembered by stop)' })
      .option('tag', { type: 'string', default: 'emergency', requiresArg: true, describe: 'image: tag of the emergency image' })
      .option('container', { alias: 'c', type: 'string', requiresArg: true, describe: 'image: container to switch (default: backend)' }),
  args: (parsed, checks) => checkEmergency(parsed as unknown as Omit<EmergencyArgs, 'replicas'> & { replicas?: string }, checks),
  run: async (g, a, io) => (await import('./run')).runEmergency(g, a, io),
  render: async (r, g, io) => (await import('../../change/render')).renderChange(r, g.output, io),
};
