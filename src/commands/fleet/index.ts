import type { ContextFailure } from '../../fleet/failure';
import type { Colors } from '../../render/color';
import type { CommandSpec } from '../types';
import { addFleetOptions, fleetArgs, type FleetArgs } from './options';

/** One cluster of a fleet run: its exit code, and its result or why there is none. */
export type ContextOutcome<R> = { context: string; exitCode: number } & ({ ok: true; result: R } | { ok: false; error: ContextFailure });

/** A fleet run's result: every context asked, in the order chosen. */
export interface FleetResult<R> { fleet: ContextOutcome<R>[] }

/** What a fleet run shows of a command's one-cluster result (loaded only for a fleet run). */
export interface FleetView<R> {
  /** The command's one-cluster JSON, spread into the context's entry. */
  json(r: R): Record<string, unknown>;
  /** The cluster's line in the table. */
  summary(r: R): string;
  /** What the clusters that answered share, said once (why: the same failure in several clusters). */
  across?(answered: { context: string; result: R }[]): { json: Record<string, unknown>; text(c: Colors): string };
}

export const isFleetResult = <R>(r: R | FleetResult<R>): r is FleetResult<R> => typeof r === 'object' && r !== null && 'fleet' in r;

/**
 * The command with the fleet flags (--context a,b, --contexts-matching, --all-contexts,
 * --concurrency): without them it runs as before; with them its own runner runs once per
 * context and the answers are shown together. `solo` names the command's flags given that
 * work on one cluster only.
 */
export function withFleet<A, R>(spec: CommandSpec<A, R>, fleet: { solo: (parsed: Record<string, unknown>) => string[]; view: () => Promise<FleetView<R>> }): CommandSpec<A & { fleet?: FleetArgs }, R | FleetResult<R>> {
  return {
    ...spec,
    builder: (y) => addFleetOptions(spec.builder(y)),
    args: (parsed, checks) => {
      const own = spec.args ? spec.args(parsed, checks) : (parsed as A);
      return { ...own, fleet: fleetArgs(parsed, checks, fleet.solo(parsed)) };
    },
    run: async (g, a, io) => (a.fleet ? (await import('./run')).runFleet(g, a, a.fleet, spec.run, io) : spec.run(g, a, io)),
    render: async (r, g, io) => (isFleetResult(r) ? (await import('./render')).renderFleet(r, g, io, await fleet.view()) : spec.render(r, g, io)),
  };
}
