import { z } from "zod";
import { statusSchema } from "../reply/reply.js";
import { languageCodeSchema } from "./languages.js";

/**
 * One phrase that identifies an entry. `weight` is how sure a full match makes us (0..1).
 * `decisive` phrases are the scanner's own verdicts (e.g. `SchemaMismatchException`): they
 * count wherever they appear in an exception chain. Generic .NET texts are not decisive:
 * when a chain ends in a cause the entry does not recognise, that inner cause wins.
 */
export const signatureSchema = z.object({
  phrase: z.string().min(2),
  weight: z.number().min(0.1).max(1),
  decisive: z.boolean().default(false),
  /** The language of a localized wording (English when absent). */
  lang: languageCodeSchema.optional(),
  /** What this particular wording or code means, shown with the entry (e.g. what AADSTS7000215 says). */
  detail: z.string().min(10).optional(),
  /** Where the wording was found: a URL, or `owner/repo path` of a public file. */
  source: z.string().min(8).optional(),
  /**
   * The wording counts only when the paste also contains one of these (any case): a bare HTTP 503 is
   * SharePoint's throttling only beside SharePoint or throttling words, "Failed to get user name" is the
   * token library's only beside its name.
   */
  onlyWith: z.array(z.string().min(2)).min(1).optional(),
});
export type Signature = z.infer<typeof signatureSchema>;

/** A link to the official documentation. */
export const sourceLinkSchema = z.object({
  title: z.string().min(1),
  url: z.url({ protocol: /^https$/, hostname: /^(learn|support)\.microsoft\.com$/ }),
});

/** One known scanner error: how to recognise it, what it means and how to fix it. */
export const knowledgeEntrySchema = z.object({
  /** Stable id: the troubleshooting article's heading anchor, or our own slug for other documented errors. */
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
  title: z.string().min(3),
  category: z.enum(["authentication", "policy", "database", "network", "scanning", "configuration", "powershell"]),
  /** Badge shown with the explanation. */
  severity: statusSchema,
  /** The documented error texts, verbatim (what the user may see). */
  messages: z.array(z.string().min(2)).min(1),
  /** Match the messages verbatim too (off when a message is mostly generic text around a variable part). */
  matchMessages: z.boolean().default(true),
  /** .NET exception types this entry covers (short or full names). */
  exceptionTypes: z.array(z.string().regex(/^[A-Za-z_][\w.]*$/)).default([]),
  /** Windows event ids (Azure Information Protection Scanner log) that mean this entry. */
  eventIds: z.array(z.number().int().min(1000).max(9999)).default([]),
  /** Further phrases that identify the entry (fragments, user wording). */
  signatures: z.array(signatureSchema).default([]),
  meaning: z.string().min(10),
  fix: z.array(z.string().min(5)).min(1),
  /** Bot commands worth running next; `{node}` stands for the scanner node. */
  commands: z.array(z.string().min(1)).default([]),
  source: sourceLinkSchema,
  seeAlso: z.array(sourceLinkSchema).default([]),
});

/** A validated knowledge-base entry. */
export type KnowledgeEntry = z.infer<typeof knowledgeEntrySchema>;
/** An entry as written in the data file, before defaults are applied. */
export type KnowledgeEntryInput = z.input<typeof knowledgeEntrySchema>;
/** A signature as written in a data file, before defaults are applied. */
export type SignatureInput = z.input<typeof signatureSchema>;
