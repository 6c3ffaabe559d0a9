import { z } from "zod";

/**
 * The languages `explain` recognises besides English: the languages Microsoft publishes the
 * scanner documentation in and ships localized .NET Framework and Windows messages for. Answers
 * stay in English; the language only adds a note and a link to the localized article.
 */
export const languageCodes = ["fr", "de", "es", "it", "ja", "zh-Hans", "zh-Hant", "pt-BR", "ko", "ru", "nl"] as const;
export const languageCodeSchema = z.enum(languageCodes);
export type LanguageCode = z.infer<typeof languageCodeSchema>;

interface Language {
  /** English name, for the reply. */
  name: string;
  /** The locale segment of learn.microsoft.com and support.microsoft.com URLs. */
  locale: string;
}

const languages: Record<LanguageCode, Language> = {
  fr: { name: "French", locale: "fr-fr" },
  de: { name: "German", locale: "de-de" },
  es: { name: "Spanish", locale: "es-es" },
  it: { name: "Italian", locale: "it-it" },
  ja: { name: "Japanese", locale: "ja-jp" },
  "zh-Hans": { name: "Chinese (Simplified)", locale: "zh-cn" },
  "zh-Hant": { name: "Chinese (Traditional)", locale: "zh-tw" },
  "pt-BR": { name: "Portuguese (Brazil)", locale: "pt-br" },
  ko: { name: "Korean", locale: "ko-kr" },
  ru: { name: "Russian", locale: "ru-ru" },
  nl: { name: "Dutch", locale: "nl-nl" },
};

/** The English name of a recognised language. */
export function languageName(code: LanguageCode): string {
  return languages[code].name;
}

/**
 * The same Microsoft page in another language: learn.microsoft.com and support.microsoft.com
 * serve a locale given as the first path segment (`/fr-fr/troubleshoot/...`).
 */
export function localizedUrl(url: string, code: LanguageCode): string {
  const parsed = new URL(url);
  const segments = parsed.pathname.split("/").filter((s) => s !== "");
  // A link may already carry a locale (`/en-us/...`); replace it rather than stacking two.
  if (/^[a-z]{2}-[a-z]{2,4}$/i.test(segments[0] ?? "")) segments.shift();
  parsed.pathname = `/${[languages[code].locale, ...segments].join("/")}`;
  return parsed.toString();
}
