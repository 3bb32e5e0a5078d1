import { ApiError, UnreachableError, type KubeApi } from './api';
import { paths } from './paths';

/**
 * The escalation ConfigMap's data, or why it could not be had. Its absence or a refusal
 * costs the contacts only, never the diagnosis they are printed beside.
 */
export async function readContactsConfigMap(api: KubeApi, ns: string, name: string): Promise<{ data: Record<string, string> } | { unread: string }> {
  const what = `ConfigMap ${ns}/${name}`;
  try {
    const cm = await api.getOptional<{ metadata: object; data?: Record<string, string> }>(paths.keyed(ns, 'ConfigMap', name));
    return cm ? { data: cm.data ?? {} } : { unread: `no ${what}` };
  } catch (e) {
    if (e instanceof ApiError) return { unread: `${what} could not be read: ${e.code === 403 ? 'forbidden' : e.reason}` };
    if (e instanceof UnreachableError) return { unread: `${what} could not be read: ${e.code === 'TIMEOUT' ? 'timed out' : 'unreachable'}` };
    throw e;
  }
}
