import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { renderPlainText } from "../../src/reply/plainText.js";
import { injections } from "./hostileText.js";
import { admin, stackLine, startRouterUnderTest } from "./routerUnderTest.js";

/**
 * `--flag=value` carries the one-time confirmation id of guarded actions.
 * Hostile text there (line breaks included) must be refused as a bad id,
 * never read as something else, and no agent may be asked anything.
 */
let setup: Awaited<ReturnType<typeof startRouterUnderTest>>;
beforeEach(async () => {
  setup = await startRouterUnderTest();
});
afterEach(() => setup.close());

describe("hostile --confirm values", () => {
  it("refuses each as an unknown confirmation and calls no agent", async () => {
    for (const template of [
      "restart scan-01 --confirm={}",
      "logs export scan-01 --confirm={}",
      "scan stop contoso-prod --confirm={}",
    ]) {
      for (const injection of injections) {
        for (const value of [`"${injection}"`, `"abc123${injection}"`]) {
          const line = template.replace("{}", value);
          const before = setup.counter.paths.length;
          const answer = await setup.router.dispatch(line, admin).result;
          expect(answer.status, line).toBe("error");
          expect(renderPlainText(answer), line).not.toMatch(stackLine);
          expect(setup.counter.paths.slice(before), line).toEqual([]);
        }
      }
    }
  });
});
