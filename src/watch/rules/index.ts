import { errorStateRule } from "./errorStateRule.js";
import type { Rule } from "./finding.js";
import { serviceStoppedRule } from "./serviceStoppedRule.js";
import { stallRule } from "./stallRule.js";
import { unreachableRule } from "./unreachableRule.js";

/** The rules that open incidents, most specific first. Slow-but-alive and finished never open one. */
export const incidentRules: readonly Rule[] = [unreachableRule, serviceStoppedRule, errorStateRule, stallRule];

export type { Finding, Rule, RuleInput } from "./finding.js";
