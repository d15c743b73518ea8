/** The source a `--from` argument names: a SCIM base URL, or a .csv / .json / .ndjson file. */
import { SyncUsageError } from "../errors.js";
import type { SyncSource } from "../types.js";
import { csvSource } from "./csv.js";
import { jsonSource } from "./json.js";
import { scimSource } from "./scim.js";

/**
 * Picks the source by the argument's form: `http(s)://` → {@link scimSource} (with `token`), `.csv` →
 * {@link csvSource}, `.json` → {@link jsonSource} (array or NDJSON, told apart by the first character),
 * `.ndjson` / `.jsonl` → NDJSON. Anything else is a {@link SyncUsageError}.
 *
 * @example const source = sourceFrom(argv.from, { token: argv.fromToken });
 */
export function sourceFrom(from: string, options: { token?: string | undefined } = {}): SyncSource {
  if (/^https?:\/\//i.test(from)) return scimSource({ url: from, token: options.token });
  const lower = from.toLowerCase();
  if (lower.endsWith(".csv")) return csvSource(from);
  if (lower.endsWith(".ndjson") || lower.endsWith(".jsonl")) return jsonSource(from, { format: "ndjson" });
  if (lower.endsWith(".json")) return jsonSource(from);
  throw new SyncUsageError(
    `--from ${JSON.stringify(from)}: give a .csv, .json, .ndjson file or an http(s):// SCIM base URL`,
  );
}
