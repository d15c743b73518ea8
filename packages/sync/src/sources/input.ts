/** What file sources read: a path, or chunks (a Node Readable, a web ReadableStream, an array of strings). */
import { createReadStream } from "node:fs";
import type { ReadableStream as WebReadableStream } from "node:stream/web";

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

/** The input as an async iterable of chunks; a path is opened as a stream (never read whole). */
export function chunksOf(
  input: SourceInput,
): AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array> {
  if (typeof input === "string" || input instanceof URL) return createReadStream(input);
  return input as AsyncIterable<string | Uint8Array>;
}

/** A name for messages. */
export function describeInput(input: SourceInput, fallback: string): string {
  if (typeof input === "string") return input;
  if (input instanceof URL) return input.pathname;
  return fallback;
}
