/** Another SCIM server as the source: its users, paged with the client's iterate (RFC 7644 §3.4.2.4, RFC 9865). */
import type { ScimClient } from "@scimkit/client";
import { clientFor } from "../connect.js";
import type { JsonObject, ServerTarget, SourceContext, SourceItem, SyncSource } from "../types.js";
import { bodyItem } from "./body.js";

/** Options of {@link scimSource}. */
export interface ScimSourceOptions {
  /** Only users matching this SCIM filter (RFC 7644 §3.4.2.2). */
  filter?: string | undefined;
  /** Page size (default 500). */
  pageSize?: number | undefined;
}

/** Attributes a source server owns that must not be copied: they are the source's, not the user's. */
const SERVER_OWNED = new Set(["id", "meta", "schemas"]);

/**
 * Users of another SCIM server. Each user's `groups` (RFC 7643 §4.1.2, readOnly) gives the group
 * displayNames to mirror; `id` and `meta` stay behind (the target assigns its own). Row = the user's
 * 1-based position in the listing.
 *
 * @example const source = scimSource({ url: "https://old.example.com/scim/v2", token: process.env.OLD_TOKEN });
 */
export function scimSource(from: ServerTarget | ScimClient, options: ScimSourceOptions = {}): SyncSource {
  const client = clientFor(from);
  return {
    description: "users" in from ? "SCIM server" : from.url,
    async *open(context: SourceContext): AsyncIterable<SourceItem> {
      let row = 0;
      const query = {
        count: options.pageSize ?? 500,
        ...(options.filter === undefined ? {} : { filter: options.filter }),
      };
      for await (const user of client.users.iterate(query)) {
        row++;
        const body: JsonObject = {};
        for (const [k, v] of Object.entries(user as unknown as JsonObject))
          if (!SERVER_OWNED.has(k)) body[k] = v;
        yield bodyItem(body, row, context.schema);
        if (context.signal?.aborted) return;
      }
    },
  };
}
