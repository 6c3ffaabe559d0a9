import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/** Node's collector, switched on at run time (no --expose-gc needed); undefined when the runtime refuses. */
export function forcedGc(): (() => void) | undefined {
  if (typeof global.gc === "function") return global.gc;
  try {
    setFlagsFromString("--expose-gc");
    const gc: unknown = runInNewContext("gc");
    return typeof gc === "function" ? (gc as () => void) : undefined;
  } catch {
    return undefined;
  }
}
