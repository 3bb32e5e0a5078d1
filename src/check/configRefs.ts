import { containerReferences, type ContainerRef } from '../kube/podSpecRefs';
import { shellQuote } from '../kube/shell';
import { verdict, combine } from './fix';
import type { CheckContext, Rule, Verdict } from './types';

/**
 * The command that supplies what is missing. The value is the user's to give, from a file
 * named after the key (create) or as base64 (an added key): never guessed, never printed.
 */
function supply(ns: string, r: { kind: 'Secret' | 'ConfigMap'; name: string; key: string | null }, exists: boolean): string {
  const key = r.key ?? 'KEY';
  const obj = r.kind === 'Secret' ? 'secret' : 'configmap';
  if (exists) {
    const pointer = `/data/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    const value = r.kind === 'Secret' ? '<base64 of the value>' : '<value>';
    return `kubectl patch ${obj} ${shellQuote(r.name)} -n ${shellQuote(ns)} --type=json -p ${shellQuote(JSON.stringify([{ op: 'add', path: pointer, value }]))}`;
  }
  return `kubectl create ${r.kind === 'Secret' ? 'secret generic' : 'configmap'} ${shellQuote(r.name)} -n ${shellQuote(ns)} ${shellQuote(`--from-file=./${key}`)}`;
}

type Ref = Pick<ContainerRef, 'kind' | 'name' | 'key' | 'via'>;

function refsOf(ctx: CheckContext): Ref[] {
  const spec = ctx.workload.template.spec;
  const out: Ref[] = [];
  for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
    for (const r of containerReferences(spec, c)) if (!r.optional) out.push({ ...r, via: `${c.name} ${r.via}` });
  }
  for (const s of spec.imagePullSecrets ?? []) out.push({ kind: 'Secret', name: s.name, key: null, via: 'imagePullSecrets' });
  // The same object and key read by several containers is one finding.
  return [...new Map(out.map((r) => [`${r.kind}/${r.name}/${r.key ?? ''}`, r])).values()];
}

function one(ctx: CheckContext, r: Ref): Verdict {
  const ns = ctx.workload.namespace;
  const k = ctx.keys(r.kind, r.name);
  const what = `${r.kind} ${r.name}${r.key ? ` key ${r.key}` : ''} (${r.via})`;
  if (k.state === 'unreadable') return verdict('warn', `${what} not verified: ${k.reason}`);
  if (k.state === 'not served' || k.value === null) {
    const pull = r.via === 'imagePullSecrets';
    return verdict('fail', `${r.kind} ${r.name} does not exist (${r.via})`, pull
      ? `kubectl create secret docker-registry ${shellQuote(r.name)} -n ${shellQuote(ns)} --docker-server=REGISTRY --docker-username=USER --docker-password='<value>'`
      : supply(ns, r, false));
  }
  if (r.key && !k.value.includes(r.key)) return verdict('fail', `${what} is missing (it has ${k.value.join(', ') || 'no keys'})`, supply(ns, r, true));
  return verdict('pass', '');
}

export const configRefs: Rule = {
  id: 'config-refs',
  title: 'Configuration the pods read exists',
  check(ctx) {
    const refs = refsOf(ctx);
    return combine(refs.map((r) => one(ctx, r)), refs.length ? `every Secret and ConfigMap key read exists (${refs.length} reference${refs.length === 1 ? '' : 's'})` : 'reads no Secret or ConfigMap');
  },
};
