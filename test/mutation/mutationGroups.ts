/**
 * What `npm run mutate` mutates, module by module, and the tests that must notice each mutant. Running only the
 * related tests keeps a run short; a test that belongs to a module's behaviour belongs in its list.
 */
export interface MutationGroup {
  /** Files whose mutants are made (globs, relative to the repository). */
  mutate: string[];
  /** The test files that run against each mutant. */
  tests: string[];
}

export const mutationGroups: Record<string, MutationGroup> = {
  signing: {
    mutate: ["src/wire/requestSigning.ts"],
    tests: ["test/core/requestSigning.test.ts", "test/core/signingContract.test.ts"],
  },
  redaction: {
    mutate: ["src/foundation/redaction.ts"],
    tests: [
      "test/knowledge/redaction.test.ts",
      "test/badInput/logRedaction.test.ts",
      "test/foundation/redactionCoverage.test.ts",
    ],
  },
  incidents: {
    mutate: ["src/watch/incidents.ts"],
    tests: [
      "test/watch/watcher.test.ts",
      "test/watch/claimSettlement.test.ts",
      "test/watch/stopGrace.test.ts",
      "test/watch/incidentEvidence.test.ts",
      "test/watch/incidentBook.test.ts",
      "test/watch/incidentBookSemantics.test.ts",
      // The live card: alerts, reminders and recoveries threaded under it (incidents.ts finds the thread).
      "test/watch/scanCards.test.ts",
    ],
  },
  rules: {
    mutate: ["src/watch/rules/*.ts"],
    tests: [
      "test/watch/stallRule.test.ts",
      "test/watch/slowButAliveRule.test.ts",
      "test/watch/unreachableRule.test.ts",
      "test/watch/serviceStoppedRule.test.ts",
      "test/watch/errorStateRule.test.ts",
      "test/watch/finishedRule.test.ts",
      "test/watch/clearance.test.ts",
      "test/watch/ruleConditions.test.ts",
      "test/watch/ruleEdgeCases.test.ts",
    ],
  },
  matcher: {
    mutate: ["src/knowledge/matcher.ts"],
    tests: [
      "test/knowledge/matcher.test.ts",
      "test/knowledge/knowledgeBase.test.ts",
      "test/knowledge/adminWording.test.ts",
      "test/knowledge/matcherBehaviour.test.ts",
    ],
  },
  access: {
    mutate: ["src/access/accessPolicy.ts"],
    tests: ["test/core/access.test.ts", "test/access/groupRoles.test.ts", "test/access/accessDecisions.test.ts"],
  },
  guardedActions: {
    mutate: ["src/actions/guardedActionFlow.ts"],
    tests: ["test/actions/guardedCommands.test.ts", "test/actions/guardedActionFlow.test.ts"],
  },
};
