import type { KubeApi } from './api';
import { Gaps } from './gaps';
import { paths } from './paths';
import type { Gap } from './snapshot';

/**
 * The escalation ConfigMap's data, or why it could not be had. Its absence or a refusal
 * costs the contacts only, never the diagnosis they are printed beside; a failed read is a
 * gap like any other (notLookedAt), so whoever fixes the RBAC sees it.
 */
export async function readContactsConfigMap(api: KubeApi, ns: string, name: string): Promise<{ data: Record<string, string> } | { unread: string; gap: Gap | null }> {
  const what = `ConfigMap ${ns}/${name}`;
  const path = paths.keyed(ns, 'ConfigMap', name);
  const gaps = new Gaps();
  const cm = await gaps.read({ what: `${what} (escalation contacts)` }, `GET ${path}`, api.getOptional<{ metadata: object; data?: Record<string, string> }>(path));
  const gap = gaps.list[0];
  if (gap) return { unread: `${what} could not be read: ${gap.reason}`, gap };
  return cm ? { data: cm.data ?? {} } : { unread: `no ${what}`, gap: null };
}
