/**
 * Identical reads that overlap in time share one agent call: when fifty people
 * type `status` in the same second (or the watcher polls while they do), each
 * node is asked once, not fifty times. Only reads are shared, never actions,
 * and only while the call is in flight: an answer that has arrived is never
 * handed to a later caller, so nobody sees a stale status.
 *
 * Each caller keeps its own cancel signal. A caller that gives up gets its
 * "cancelled" answer at once; the shared call itself is cancelled only when
 * every caller waiting on it has given up.
 */
export interface SharedReads {
  /**
   * Runs `start` for `key`, or joins the call for `key` already in flight.
   * `cancelled` makes the answer for a caller who gives up while others still wait.
   */
  run<T>(
    key: string,
    signal: AbortSignal | undefined,
    start: (signal: AbortSignal) => Promise<T>,
    cancelled: () => T,
  ): Promise<T>;
  /** Shared calls in flight now. */
  readonly inFlight: number;
}

interface Flight {
  promise: Promise<unknown>;
  controller: AbortController;
  waiting: number;
}

/** Builds an empty set of shared reads. */
export function createSharedReads(): SharedReads {
  const flights = new Map<string, Flight>();

  function open<T>(key: string, start: (signal: AbortSignal) => Promise<T>): Flight {
    const controller = new AbortController();
    const flight: Flight = { controller, waiting: 0, promise: Promise.resolve() };
    const forget = () => {
      if (flights.get(key) === flight) flights.delete(key);
    };
    flight.promise = start(controller.signal).finally(forget);
    // Once abandoned by everyone, later callers must start afresh rather than join a cancelled call.
    controller.signal.addEventListener("abort", forget, { once: true });
    flights.set(key, flight);
    return flight;
  }

  return {
    run<T>(
      key: string,
      signal: AbortSignal | undefined,
      start: (signal: AbortSignal) => Promise<T>,
      cancelled: () => T,
    ): Promise<T> {
      if (signal?.aborted) return Promise.resolve(cancelled());
      const flight = flights.get(key) ?? open(key, start);
      const shared = flight.promise as Promise<T>;
      flight.waiting += 1;
      if (!signal) {
        return shared.finally(() => {
          flight.waiting -= 1;
        });
      }
      return new Promise<T>((resolve, reject) => {
        const giveUp = () => {
          flight.waiting -= 1;
          if (flight.waiting > 0) {
            resolve(cancelled());
            return;
          }
          // The last one waiting: cancel the call and answer with what it says, which comes at once.
          flight.controller.abort(signal.reason);
          resolve(shared);
        };
        signal.addEventListener("abort", giveUp, { once: true });
        // Settled either way: a call that fails reaches every caller still waiting, as without a signal.
        const settle = (outcome: () => void) => {
          if (signal.aborted) return;
          signal.removeEventListener("abort", giveUp);
          flight.waiting -= 1;
          outcome();
        };
        shared.then(
          (value) => settle(() => resolve(value)),
          (err: unknown) => settle(() => reject(err)),
        );
      });
    },
    get inFlight() {
      return flights.size;
    },
  };
}
