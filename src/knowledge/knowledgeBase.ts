import { z } from "zod";
import {
  type KnowledgeEntry,
  type KnowledgeEntryInput,
  knowledgeEntrySchema,
  type SignatureInput,
} from "./knowledgeEntry.js";
import {
  closedOnSendWordings,
  noCommonAlgorithmWordings,
  transportReadWordings,
  transportStreamWordings,
} from "./localizedNetworkMessages.js";
import { localizedServiceSignatures } from "./localizedServiceMessages.js";
import { localizedShellSignatures } from "./localizedShellMessages.js";
import { localizedSignatures } from "./localizedSignatures.js";
import { localizedSystemSignatures } from "./localizedSystemMessages.js";
import { scannerErrors } from "./scannerErrors.js";
import { sectionWordings } from "./sectionWordings.js";
import { tokenMissingSignatures, tokenNotAcceptedSignatures } from "./tokenLibraryErrors.js";

/** The troubleshooting article's section anchors: each must have exactly one entry. */
export const articleSectionIds = [
  "authentication-token-not-accepted",
  "authentication-token-missing",
  "policy-missing",
  "policy-doesnt-include-automatic-labeling-conditions",
  "database-errors",
  "mismatched-or-outdated-schema",
  "underlying-connection-was-closed",
  "stuck-scanner-processes",
  "unable-to-connect-to-remote-server",
  "missing-content-scan-job-or-profile",
  "no-repositories-configured",
  "no-cluster-found",
] as const;

const knowledgeBaseSchema = z.array(knowledgeEntrySchema).superRefine((entries, ctx) => {
  const ids = new Set<string>();
  const eventIds = new Map<number, string>();
  for (const entry of entries) {
    if (ids.has(entry.id)) ctx.addIssue({ code: "custom", message: `duplicate entry id ${entry.id}` });
    ids.add(entry.id);
    for (const eventId of entry.eventIds) {
      const owner = eventIds.get(eventId);
      if (owner)
        ctx.addIssue({ code: "custom", message: `event id ${eventId} is claimed by ${owner} and ${entry.id}` });
      eventIds.set(eventId, entry.id);
    }
  }
  for (const id of articleSectionIds) {
    if (!ids.has(id)) ctx.addIssue({ code: "custom", message: `no entry for article section ${id}` });
  }
});

/** Signatures kept in their own data files (other languages, token libraries, other wordings), by entry id. */
const extraSignatures: Record<string, SignatureInput[]> = {};
for (const set of [
  localizedSignatures,
  localizedServiceSignatures,
  localizedShellSignatures,
  localizedSystemSignatures,
  sectionWordings,
  {
    "underlying-connection-was-closed": [
      ...closedOnSendWordings,
      ...transportReadWordings,
      ...noCommonAlgorithmWordings,
      ...transportStreamWordings,
    ],
    "authentication-token-missing": tokenMissingSignatures,
    "authentication-token-not-accepted": tokenNotAcceptedSignatures,
  },
] as Record<string, SignatureInput[]>[]) {
  for (const [id, signatures] of Object.entries(set))
    extraSignatures[id] = [...(extraSignatures[id] ?? []), ...signatures];
}

const withExtraSignatures = (entry: KnowledgeEntryInput): KnowledgeEntryInput => ({
  ...entry,
  signatures: [...(entry.signatures ?? []), ...(extraSignatures[entry.id] ?? [])],
});

const unknownTargets = Object.keys(extraSignatures).filter((id) => !scannerErrors.some((e) => e.id === id));
// A signature file naming an entry that does not exist is a data error: fail at load, like a bad entry.
if (unknownTargets.length > 0) throw new Error(`signatures for unknown entries: ${unknownTargets.join(", ")}`);

/** Every known scanner error, validated once when the module loads (a bad entry fails loudly here). */
export const knowledgeBase: readonly KnowledgeEntry[] = Object.freeze(
  knowledgeBaseSchema.parse(scannerErrors.map(withExtraSignatures)),
);

const byId = new Map(knowledgeBase.map((entry) => [entry.id, entry]));
const byEventId = new Map(knowledgeBase.flatMap((entry) => entry.eventIds.map((id) => [id, entry] as const)));

/** The entry with this id, if there is one. */
export function findEntry(id: string): KnowledgeEntry | undefined {
  return byId.get(id);
}

/** The entry a scanner event-log id (3001–3007) stands for, if any. */
export function entryForEventId(eventId: number): KnowledgeEntry | undefined {
  return byEventId.get(eventId);
}

export type { KnowledgeEntry } from "./knowledgeEntry.js";
