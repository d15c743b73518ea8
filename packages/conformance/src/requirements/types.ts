import type { CheckLevel } from "../types.js";

/** An RFC whose service-provider requirements the catalogue lists. */
export type Rfc = 7643 | 7644 | 9865;

/**
 * One requirement an RFC puts on a SCIM service provider.
 *
 * @example
 * const r: Requirement = {
 *   id: "7644-3.6-delete-204", rfc: 7644, section: "3.6", citation: "RFC 7644 §3.6",
 *   level: "MUST", text: "A successful DELETE answers 204 No Content.",
 * };
 */
export interface Requirement {
  /** Stable id: `<rfc>-<section>-<slug>`, e.g. `7644-3.5.2.3-replace-no-target`. */
  readonly id: string;
  readonly rfc: Rfc;
  /** The section number, e.g. "3.5.2.3". */
  readonly section: string;
  /** The section as checks cite it in `requirement`, e.g. "RFC 7644 §3.5.2.3". */
  readonly citation: string;
  /** MUST / MUST NOT / SHALL / REQUIRED → MUST; SHOULD / RECOMMENDED → SHOULD; MAY / OPTIONAL → MAY. */
  readonly level: CheckLevel;
  /** A one-line paraphrase. */
  readonly text: string;
  /** Why a black-box HTTP checker cannot observe it, when it cannot. */
  readonly untestable?: string;
}

/** One catalogue row: section, level, slug, paraphrase and, when not observable over HTTP, the reason. */
export type Row = readonly [
  section: string,
  level: CheckLevel,
  slug: string,
  text: string,
  untestable?: string,
];

/** Expands compact rows into requirements with ids and citations. */
export function catalogue(rfc: Rfc, rows: readonly Row[]): Requirement[] {
  return rows.map(([section, level, slug, text, untestable]) => ({
    id: `${rfc}-${section}-${slug}`,
    rfc,
    section,
    citation: `RFC ${rfc} §${section}`,
    level,
    text,
    ...(untestable === undefined ? {} : { untestable }),
  }));
}

/** Shared reasons for requirements no black-box run can observe. */
export const INTERNAL = "concerns storage or processing inside the server, which HTTP answers do not reveal";
export const TRANSPORT =
  "concerns the deployment's transport (TLS), not the SCIM behaviour; checks also run against plain-HTTP test servers";
export const SUBJECTS = "needs several credentials with different rights, and a run is given one token";
export const POLICY = "depends on the operator's own policy, which the checker cannot know";
