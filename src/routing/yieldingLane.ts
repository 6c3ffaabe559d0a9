/**
 * Work that can wait gives way to requests that cannot. Slack wants a slash
 * command acknowledged within 3 s but accepts its answer for 30 min, so the
 * work after an acknowledgement (running the command, rendering and posting its
 * answer) goes through this lane: it runs only when no request is open and
 * none arrived in the last `quietMs`, one piece of work per event-loop turn.
 * A burst of 200 commands is acknowledged first and answered right after,
 * instead of the last acks queuing behind the first answers.
 *
 * Nothing waits longer than `maxWaitMs`: a steady stream of requests delays
 * answers by that much at most, it never starves them.
 */
export interface YieldingLane {
  /** A request is open until the returned function is called (after its ack is written). */
  opened(): () => void;
  /** Resolves on a quiet turn (one waiter per turn, oldest first), or once it has waited `maxWaitMs`. */
  turn(): Promise<void>;
  /** Work waiting for its turn. */
  readonly waiting: number;
  /** Requests holding the lane closed right now. */
  readonly open: number;
}

export interface YieldingLaneOptions {
  /** The longest any work waits for a quiet turn. Default 500 ms: far inside Slack's 30 min, unnoticeable in chat. */
  maxWaitMs?: number;
  /** How long no request may have arrived for a turn to count as quiet. Default 2 ms: requests of one burst come closer together. */
  quietMs?: number;
  /** Milliseconds clock; tests pass their own. */
  now?: () => number;
}

interface Waiter {
  resolve: () => void;
  since: number;
}

/** Builds a lane; one per bot, shared by the router and every adapter that receives requests. */
export function createYieldingLane(options: YieldingLaneOptions = {}): YieldingLane {
  const maxWaitMs = options.maxWaitMs ?? 500;
  const quietMs = options.quietMs ?? 2;
  const now = options.now ?? (() => performance.now());
  const waiters: Waiter[] = [];
  let open = 0;
  let lastArrival = Number.NEGATIVE_INFINITY;
  let scheduled = false;

  function schedule(): void {
    if (scheduled || waiters.length === 0) return;
    scheduled = true;
    const quietFor = now() - lastArrival;
    if (open === 0 && quietFor >= quietMs) {
      // setImmediate runs after this turn's I/O callbacks: a request that is due is handled first.
      setImmediate(pump);
      return;
    }
    // Not quiet: look again when the quiet window would end (or soon, while requests are open),
    // instead of spinning the event loop.
    setTimeout(pump, Math.max(1, Math.ceil(quietMs - quietFor)));
  }

  function pump(): void {
    scheduled = false;
    const at = now();
    let released = 0;
    while (waiters.length > 0 && at - (waiters[0]?.since ?? at) >= maxWaitMs) {
      waiters.shift()?.resolve();
      released += 1;
    }
    if (released === 0 && open === 0 && at - lastArrival >= quietMs) waiters.shift()?.resolve();
    schedule();
  }

  return {
    opened() {
      lastArrival = now();
      open += 1;
      let closed = false;
      return () => {
        if (closed) return;
        closed = true;
        open -= 1;
      };
    },
    turn() {
      return new Promise<void>((resolve) => {
        waiters.push({ resolve, since: now() });
        schedule();
      });
    },
    get waiting() {
      return waiters.length;
    },
    get open() {
      return open;
    },
  };
}
