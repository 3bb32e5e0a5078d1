/**
 * One process-wide AbortController for Ctrl-C: every request, retry wait and watch listens
 * to its signal, so an interrupted command stops within a second wherever it is waiting.
 * Kept free of client-node so main.ts can import it without slowing --version.
 */
const controller = new AbortController();

export const interruptSignal: AbortSignal = controller.signal;

/** 128 + the signal's number: what a shell reports for a process killed by it, and what kubectl exits with. */
export const EXIT_SIGINT = 130;
export const EXIT_SIGTERM = 143;

export function interrupt(): void {
  controller.abort(new DOMException('interrupted', 'AbortError'));
}

export const interrupted = (): boolean => controller.signal.aborted;

/** A wait that ends early (rejecting with the abort reason) when `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal = interruptSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => { clearTimeout(timer); reject(signal.reason); };
    const timer = setTimeout(() => { signal.removeEventListener('abort', onAbort); resolve(); }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
