/** JSON (an array of SCIM User bodies) and NDJSON (one body per line) sources, both streamed. */
import { SyncUsageError } from "../errors.js";
import type { JsonObject, SourceContext, SourceItem, SyncSource } from "../types.js";
import { bodyItem } from "./body.js";
import { chunksOf, describeInput, type SourceInput } from "./input.js";
import { jsonArrayElements } from "./json-scan.js";

/** Options of {@link jsonSource}. */
export interface JsonSourceOptions {
  /** `"json"`: one array; `"ndjson"`: one body per line; default: `"json"` when the text starts with `[`. */
  format?: "json" | "ndjson" | undefined;
}

/** Chunks with the first non-blank character peeked, so the format can be told apart without reading more. */
async function* peeked(
  chunks: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
  found: (first: string) => void,
): AsyncIterable<string> {
  const decoder = new TextDecoder();
  let seen = false;
  for await (const chunk of chunks) {
    const text = typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    if (!seen) {
      const m = /[^\s\ufeff]/.exec(text);
      if (m !== null) {
        seen = true;
        found(m[0]);
      }
    }
    yield text;
  }
  const tail = decoder.decode();
  if (tail !== "") yield tail;
}

async function* lines(chunks: AsyncIterable<string>): AsyncIterable<{ line: number; text: string }> {
  let rest = "";
  let line = 0;
  for await (const chunk of chunks) {
    rest += chunk;
    let nl = rest.indexOf("\n");
    while (nl >= 0) {
      yield { line: ++line, text: rest.slice(0, nl) };
      rest = rest.slice(nl + 1);
      nl = rest.indexOf("\n");
    }
  }
  if (rest !== "") yield { line: ++line, text: rest };
}

/**
 * Users from JSON: an array of SCIM User bodies (row = the element's 1-based index) or NDJSON (row =
 * the line). Bodies use the target's attribute names (any case) and may carry `groups` as
 * displayNames. Nothing is read whole.
 *
 * @example const source = jsonSource("./users.json");
 */
export function jsonSource(input: SourceInput, options: JsonSourceOptions = {}): SyncSource {
  const description = describeInput(input, "JSON");
  return {
    description,
    async *open(context: SourceContext): AsyncIterable<SourceItem> {
      let first: string | undefined;
      const text = peeked(chunksOf(input), (c) => {
        first = c;
      });
      const iterator = text[Symbol.asyncIterator]();
      const head = await iterator.next();
      const rest: AsyncIterable<string> = {
        async *[Symbol.asyncIterator]() {
          if (head.done !== true) yield head.value;
          for (let r = await iterator.next(); r.done !== true; r = await iterator.next()) yield r.value;
        },
      };
      const format = options.format ?? (first === "[" || first === undefined ? "json" : "ndjson");
      if (format === "ndjson") {
        for await (const { line, text: t } of lines(rest)) {
          if (t.trim() === "") continue;
          let value: unknown;
          try {
            value = JSON.parse(t);
          } catch (error) {
            const detail = `line ${line}: not valid JSON (${error instanceof Error ? error.message : String(error)})`;
            yield {
              kind: "error",
              row: line,
              failure: { row: line, status: 400, scimType: "invalidSyntax", detail },
            };
            continue;
          }
          yield bodyItem(value, line, context.schema);
          if (context.signal?.aborted) return;
        }
        return;
      }
      try {
        for await (const { index, text: t } of jsonArrayElements(rest)) {
          let value: unknown;
          try {
            value = JSON.parse(t) as JsonObject;
          } catch (error) {
            const detail = `element ${index}: not valid JSON (${error instanceof Error ? error.message : String(error)})`;
            yield {
              kind: "error",
              row: index,
              failure: { row: index, status: 400, scimType: "invalidSyntax", detail },
            };
            continue;
          }
          yield bodyItem(value, index, context.schema);
          if (context.signal?.aborted) return;
        }
      } catch (error) {
        if (error instanceof Error && !(error instanceof SyncUsageError) && error.constructor === Error)
          throw new SyncUsageError(`${description}: ${error.message}`);
        throw error;
      }
    },
  };
}
