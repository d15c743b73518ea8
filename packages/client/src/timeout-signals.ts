/**
 * Request timeouts without an AbortController and a timer per request. Requests whose deadlines fall in
 * the same short slot share one controller and one timer: never before a request's own deadline, at most
 * `slot` after it (1/32 of the timeout, capped at 1 s: a 30 s timeout fires within 30–31 s), the timer
 * aborts the shared signal if any of them still waits for its response headers. Why: creating an
 * AbortController and its signal, and undici's handling of a fresh signal, were the largest part of what
 * the client added to a bare `fetch` (BENCHMARKS.md, "Client (issue 6)" and "Performance round 2");
 * sharing them makes that cost once per slot, not once per request.
 *
 * As with one controller per request (and ky), only the wait for the headers is timed: when every request
 * of a slot has its headers, nothing is aborted and their bodies stream on. A body still streaming when
 * another request of the same slot times out is cut with it (both are past their deadline).
 */

/** At most this many requests share one signal: fetch adds an abort listener per request to it. */
const PER_SIGNAL = 200;

/** One slot: its signal, and how many of its requests still wait for headers. */
export interface TimeoutSlot {
  readonly signal: AbortSignal;
  /** Requests of this slot without headers yet: +1 when sent, −1 when fetch settles. */
  pending: number;
}

/**
 * A source of timeout slots for requests of `timeout` ms: `pending++` before fetch, `pending--` when it
 * settles; `signal.aborted` after a failure means the request timed out.
 *
 * @example
 * const next = timeoutSignals(30_000);
 * const slot = next();
 * slot.pending++;
 * try { await fetch(url, { signal: slot.signal }); } finally { slot.pending--; }
 */
export function timeoutSignals(timeout: number): () => TimeoutSlot {
  const width = Math.max(1, Math.min(1000, timeout / 32));
  let current: TimeoutSlot | undefined;
  let end = 0;
  let uses = 0;
  return () => {
    const deadline = Date.now() + timeout;
    if (current === undefined || deadline > end || uses >= PER_SIGNAL) {
      const controller = new AbortController();
      const slot: TimeoutSlot = { signal: controller.signal, pending: 0 };
      end = deadline + width;
      const timer: unknown = setTimeout(() => {
        if (slot.pending > 0) controller.abort();
      }, timeout + width);
      // The timer outlives the requests it watches: it must not keep a Node process alive on its own.
      if (typeof timer === "object" && timer !== null && "unref" in timer)
        (timer as { unref(): void }).unref();
      current = slot;
      uses = 0;
    }
    uses++;
    return current;
  };
}
