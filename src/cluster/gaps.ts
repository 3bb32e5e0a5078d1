import { ApiError, UnreachableError } from './api';
import { CliError } from '../errors';
import type { Gap, GapReason, Piece } from './snapshot';

/**
 * Why a read failed, as the kind `notLookedAt` reports; null when the error is not a failed
 * read (a bug), which must not be hidden as a gap. A 404 here is an API the cluster does not
 * serve: a missing object is answered by getOptional before it gets this far.
 */
function readFailure(e: unknown): GapReason | null {
  if (e instanceof ApiError) {
    if (e.code === 401) return 'unauthorized';
    if (e.code === 403) return 'forbidden';
    if (e.code === 404) return 'not served';
    return e.code === 429 ? 'throttled' : e.code >= 500 ? 'server error' : 'rejected';
  }
  if (e instanceof UnreachableError) return e.code === 'TIMEOUT' ? 'timed out' : 'unreachable';
  return e instanceof CliError && e.kind === 'cluster' ? 'unreachable' : null;
}

export interface GapTarget { what: string; piece?: Piece; key?: string }

/**
 * Evidence that is nice to have degrades to a recorded gap instead of failing the command:
 * a missing permission, an overloaded API server or an API the cluster does not serve
 * costs one piece of evidence, and the gap says which and why.
 */
export class Gaps {
  readonly list: Gap[] = [];

  record(t: GapTarget, request: string, e: unknown): GapReason {
    const reason = readFailure(e);
    if (!reason) throw e;
    this.list.push({ ...t, reason, request });
    return reason;
  }

  /** null when the read failed (recorded); an object read with getOptional is also null when absent (not recorded). */
  async read<T>(t: GapTarget, request: string, p: Promise<T>): Promise<T | null> {
    try {
      return await p;
    } catch (e) {
      this.record(t, request, e);
      return null;
    }
  }

  /**
   * The piece was read after all, by another request (the two events APIs serve the same
   * events): the failure stays listed but costs no evidence; an API that is simply not
   * served is then no gap at all.
   */
  settle(piece: Piece): void {
    for (let i = this.list.length - 1; i >= 0; i--) {
      const g = this.list[i]!;
      if (g.piece !== piece) continue;
      if (g.reason === 'not served') this.list.splice(i, 1);
      else this.list[i] = { what: g.what, reason: g.reason, request: g.request };
    }
  }
}
