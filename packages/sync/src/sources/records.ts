/** An app's own data as a source: SCIM User bodies from any (async) iterable. */
import type { JsonObject, SourceContext, SourceItem, SyncSource } from "../types.js";
import { bodyItem } from "./body.js";

/**
 * Users from your own records, e.g. rows of your HR database mapped to SCIM User bodies
 * (`groups` as displayNames allowed). Row = the record's 1-based position.
 *
 * @example const source = recordsSource(employees.map((e) => ({ userName: e.login, name: { givenName: e.first } })));
 */
export function recordsSource(records: AsyncIterable<JsonObject> | Iterable<JsonObject>): SyncSource {
  return {
    description: "records",
    async *open(context: SourceContext): AsyncIterable<SourceItem> {
      let row = 0;
      for await (const record of records) {
        row++;
        yield bodyItem(record, row, context.schema);
        if (context.signal?.aborted) return;
      }
    },
  };
}
