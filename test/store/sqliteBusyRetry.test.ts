import { describe, expect, it } from "vitest";
import { BusyRetry, isBusyError } from "../../src/store/sqliteBusyRetry.js";

/**
 * BusyRetry on a fake clock: every sleep is recorded and moves the clock at
 * once, so backoff and budget are checked exactly, without waiting.
 */

const busy = (code = "SQLITE_BUSY") => Object.assign(new Error("database is locked"), { code });

function fakeClock() {
  let now = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

/** A sleep that returns only when the test releases it, to look at what happens while an operation waits. */
function heldSleep() {
  const waiting: (() => void)[] = [];
  return {
    sleep: (_ms: number) => new Promise<void>((resolve) => waiting.push(resolve)),
    releaseAll: () => {
      for (const release of waiting.splice(0)) release();
    },
  };
}

const flush = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

describe("BusyRetry", () => {
  it("sleeps 10, 20, 40 … ms capped at 250 between tries, and gives up with the driver's error when the budget is spent", async () => {
    const clock = fakeClock();
    const retry = new BusyRetry({ budgetMs: 1_000, ...clock });
    let tries = 0;
    const error = busy();
    await expect(
      retry.write(() => {
        tries++;
        throw error;
      }),
    ).rejects.toBe(error);
    // The last sleep is cut to what is left of the budget, and one more try follows it.
    expect(clock.sleeps).toEqual([10, 20, 40, 80, 160, 250, 250, 190]);
    expect(tries).toBe(clock.sleeps.length + 1);
    expect(clock.now()).toBe(1_000);
  });

  it("answers with the first try that gets through", async () => {
    const clock = fakeClock();
    const retry = new BusyRetry({ budgetMs: 5_000, ...clock });
    let tries = 0;
    const value = await retry.write(() => {
      tries++;
      if (tries <= 3) throw busy(tries === 2 ? "SQLITE_BUSY_SNAPSHOT" : "SQLITE_BUSY");
      return "saved";
    });
    expect(value).toBe("saved");
    expect(clock.sleeps).toEqual([10, 20, 40]);
  });

  it("fails at once, without sleeping, on anything but a busy database", async () => {
    const clock = fakeClock();
    const retry = new BusyRetry({ budgetMs: 5_000, ...clock });
    for (const error of [
      busy("SQLITE_LOCKED"),
      busy("SQLITE_FULL"),
      new TypeError("The database connection is not open"),
    ]) {
      await expect(
        retry.write(() => {
          throw error;
        }),
      ).rejects.toBe(error);
      await expect(
        retry.read(() => {
          throw error;
        }),
      ).rejects.toBe(error);
    }
    expect(clock.sleeps).toEqual([]);
  });

  it("knows SQLITE_BUSY and its extended codes, and nothing else, as busy", () => {
    for (const code of ["SQLITE_BUSY", "SQLITE_BUSY_SNAPSHOT", "SQLITE_BUSY_RECOVERY", "SQLITE_BUSY_TIMEOUT"]) {
      expect(isBusyError(busy(code)), code).toBe(true);
    }
    for (const notBusy of [
      busy("SQLITE_LOCKED"),
      busy("SQLITE_LOCKED_SHAREDCACHE"),
      busy("SQLITE_BUSYX"),
      new Error("x"),
    ]) {
      expect(isBusyError(notBusy), String(notBusy)).toBe(false);
    }
    expect(isBusyError(null)).toBe(false);
    expect(isBusyError("SQLITE_BUSY")).toBe(false);
  });

  it("runs a write synchronously when nothing waits, as the driver alone did", () => {
    const retry = new BusyRetry();
    let ran = false;
    void retry.write(() => {
      ran = true;
    });
    expect(ran).toBe(true);
    expect(retry.idle).toBe(true);
  });

  it("commits writes in call order while one waits out a lock, and lets reads through meanwhile", async () => {
    const held = heldSleep();
    const retry = new BusyRetry({ sleep: held.sleep });
    let locked = true;
    const committed: string[] = [];
    const first = retry.write(() => {
      if (locked) throw busy();
      committed.push("watch on");
    });
    // Would get through at once, but must not overtake the write before it.
    const second = retry.write(() => committed.push("watch off"));
    await flush();
    expect(committed).toEqual([]);
    expect(retry.idle).toBe(false);
    expect(await retry.read(() => "read while a write waits")).toBe("read while a write waits");

    locked = false;
    held.releaseAll();
    await Promise.all([first, second]);
    expect(committed).toEqual(["watch on", "watch off"]);
    expect(retry.idle).toBe(true);
    // The queue is empty again: the next write is synchronous once more.
    let ran = false;
    void retry.write(() => {
      ran = true;
    });
    expect(ran).toBe(true);
  });

  it("counts a queued write's time in line against its own budget, and still gives it one try", async () => {
    const clock = fakeClock();
    const retry = new BusyRetry({ budgetMs: 100, ...clock });
    let queuedTries = 0;
    const head = retry.write(() => {
      throw busy();
    });
    const stillLocked = retry.write(() => {
      queuedTries++;
      throw busy();
    });
    await expect(head).rejects.toMatchObject({ code: "SQLITE_BUSY" });
    await expect(stillLocked).rejects.toMatchObject({ code: "SQLITE_BUSY" });
    // Only the head slept; the queued write's deadline had passed, so it had one try and no sleep.
    expect(queuedTries).toBe(1);
    expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBe(100);

    retry
      .write(() => {
        throw busy();
      })
      .catch(() => undefined);
    const afterRelease = retry.write(() => "saved");
    // A write whose deadline passed in line still commits when its one try gets through.
    expect(await afterRelease).toBe("saved");
  });

  it("settles once every waiting operation has finished or given up", async () => {
    const held = heldSleep();
    const retry = new BusyRetry({ sleep: held.sleep });
    let locked = true;
    let done = false;
    const write = retry.write(() => {
      if (locked) throw busy();
      done = true;
    });
    let settled = false;
    const whenSettled = retry.settled().then(() => {
      settled = true;
    });
    await flush();
    expect(settled).toBe(false);
    locked = false;
    held.releaseAll();
    await whenSettled;
    expect(done).toBe(true);
    await write;
  });
});
