import { kubeconfigContexts } from '../../cluster/kubeconfig';
import { mapLimit } from '../../cluster/pool';
import { exitCodeOf, usageErrors, worstExitCode } from '../../errors';
import { describeFailure } from '../../fleet/failure';
import { chooseContexts } from '../../fleet/select';
import type { Io } from '../../io';
import type { GlobalOptions } from '../../options';
import { startSpinner } from '../../render/spinner';
import type { Outcome } from '../types';
import type { ContextOutcome, FleetResult } from './index';
import type { FleetArgs } from './options';

/**
 * One cluster's view of the terminal: no spinner or prompt of its own (the fleet has one
 * spinner), and its warnings on stderr marked with its context.
 */
function memberIo(io: Io, context: string): Io {
  const mark = (t: string) => t.replace(/^(?=.)/gm, `[${context}] `);
  return { ...io, interactive: false, canPrompt: false, err: (t) => io.err(mark(t)) };
}

/**
 * Runs `one` against each chosen context, at most `concurrency` at a time. Each run connects
 * on its own (credentials, --request-timeout, the transport's retry budget), so a cluster
 * that hangs or refuses costs its own row and its own timeout, never another's. The exit
 * code is the worst of the clusters'.
 */
export async function runFleet<A, R>(g: GlobalOptions, a: A, f: FleetArgs, one: (g: GlobalOptions, a: A, io: Io) => Promise<Outcome<R>>, io: Io): Promise<Outcome<FleetResult<R>>> {
  const { names, where } = kubeconfigContexts(g);
  const chosen = chooseContexts(names, f.selection, where);
  if (!chosen.ok) throw usageErrors([chosen.problem])!;
  const contexts = chosen.value;
  const spinner = await startSpinner(io, g.output, `Asking ${contexts.length} clusters...`);
  let answered = 0;
  let outcomes: ContextOutcome<R>[];
  try {
    outcomes = await mapLimit(contexts, f.concurrency, async (context): Promise<ContextOutcome<R>> => {
      try {
        const o = await one({ ...g, context }, a, memberIo(io, context));
        return { context, exitCode: o.exitCode, ok: true, result: o.result };
      } catch (e) {
        return { context, exitCode: exitCodeOf(e), ok: false, error: describeFailure(e) };
      } finally {
        spinner.update(`${++answered} of ${contexts.length} clusters done...`);
      }
    });
  } finally {
    spinner.stop();
  }
  return { result: { fleet: outcomes }, exitCode: worstExitCode(outcomes.map((o) => o.exitCode)) };
}
