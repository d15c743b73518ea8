/** What file sources read: a path, or chunks (a Node Readable, a web ReadableStream, an array of strings). */
import { createReadStream } from "node:fs";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { SyncUsageError } from "../errors.js";

/**
 * A file path (or `file:` URL), or the content as chunks: any (async) iterable of strings or bytes —
 * a Node `Readable`, a web `ReadableStream`, or `[text]` for text in memory.
 *
 * @example csvSource("./users.csv"); csvSource(["userName\nada\n"]); jsonSource(response.body)
 */
export type SourceInput =
  | string
  | URL
  | AsyncIterable<string | Uint8Array>
  | Iterable<string | Uint8Array>
  | WebReadableStream<Uint8Array>;

/** A file's chunks; failing to read it (no such file, no permission) is a usage error naming it. */
async function* readFile(path: string | URL): AsyncIterable<Uint8Array> {
  try {
    for await (const chunk of createReadStream(path)) yield chunk as Uint8Array;
  } catch (error) {
    if (typeof (error as { code?: unknown }).code === "string" && error instanceof Error)
      throw new SyncUsageError(`cannot read ${String(path)}: ${error.message}`);
    throw error;
  }
}

/** The input as an async iterable of chunks; a path is opened as a stream (never read whole). */
export function chunksOf(
  input: SourceInput,
): AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array> {
  if (typeof input === "string" || input instanceof URL) return readFile(input);
  return input as AsyncIterable<string | Uint8Array>;
}

/** A name for messages. */
export function describeInput(input: SourceInput, fallback: string): string {
  if (typeof input === "string") return input;
  if (input instanceof URL) return input.pathname;
  return fallback;
}
