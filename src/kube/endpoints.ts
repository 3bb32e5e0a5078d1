import type { Endpoints } from './types';

type Address = NonNullable<NonNullable<Endpoints['subsets']>[number]['addresses']>[number];

/** An Endpoints object's addresses, ready and not, over all its subsets (null: no Endpoints object). */
export function endpointAddresses(ep: Endpoints | null | undefined): { ready: Address[]; notReady: Address[] } {
  const subsets = ep?.subsets ?? [];
  return { ready: subsets.flatMap((s) => s.addresses ?? []), notReady: subsets.flatMap((s) => s.notReadyAddresses ?? []) };
}
