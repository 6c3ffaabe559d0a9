/** How often expired rows of a keep-for-a-while table are deleted: at most once a minute per process. */
export class SweepSchedule {
  private last = Number.NEGATIVE_INFINITY;

  constructor(private readonly everyMs = 60_000) {}

  /** True (and the clock restarted) when a sweep is due at `now` (ms). */
  due(now: number): boolean {
    if (now - this.last < this.everyMs) return false;
    this.last = now;
    return true;
  }
}
