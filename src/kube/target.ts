import { checkName, quoted, refuse, type Checked } from './validate';

export type Target = { kind: 'deployment' | 'pod'; name: string };

/** The resource spellings kubectl accepts for a Deployment. */
const DEPLOYMENT = /^(?:deployments?|deploy)(?:\.apps)?\/(.*)$/;

/** TARGET of fix/rollback/emergency: `deployment/NAME` or a pod name, checked as the API server would. */
export function checkTarget(text: string): Checked<Target> {
  const m = DEPLOYMENT.exec(text);
  if (m) {
    const c = checkName(m[1]!, 'deployment', 'subdomain');
    return c.ok ? { ok: true, value: { kind: 'deployment', name: c.value } } : c;
  }
  if (text.includes('/')) return refuse(`unsupported target ${quoted(text)}`, 'use deployment/NAME or a pod name');
  const c = checkName(text, 'pod', 'subdomain');
  return c.ok ? { ok: true, value: { kind: 'pod', name: c.value } } : c;
}
