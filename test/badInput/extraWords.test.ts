import { afterEach, beforeEach, expect, it } from "vitest";
import { renderPlainText } from "../../src/reply/plainText.js";
import { admin, startRouterUnderTest } from "./routerUnderTest.js";

/** `status scan-01 scan-02` must not quietly answer for scan-01 alone, as if scan-02 had been looked at too. */

let setup: Awaited<ReturnType<typeof startRouterUnderTest>>;
beforeEach(async () => {
  setup = await startRouterUnderTest();
});
afterEach(() => setup.close());

it.each(["status", "progress", "diagnose"])("%s refuses a second node or cluster and calls no agent", async (name) => {
  const answer = await setup.router.dispatch(`${name} scan-01 scan-02`, admin).result;
  expect(answer.status).toBe("error");
  expect(renderPlainText(answer)).toContain(
    `That doesn't fit \`${name}\`: extra: give one node or cluster (or none for all of them), not "scan-02" as well.`,
  );
  expect(setup.counter.paths).toEqual([]);
});
