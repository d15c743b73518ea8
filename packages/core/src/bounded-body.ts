/**
 * Reads a request or response body up to a byte limit, so that an oversized payload is refused after
 * `limit` bytes rather than buffered whole (RFC 7644 §3.7.4 `maxPayloadSize` on the server; a size cap on
 * what a client downloads). The declared `Content-Length` is checked first, then the bytes as they arrive.
 *
 * @returns the bytes, or `undefined` when the body is larger than `limit`. A body that turned out too large
 * while being read is cancelled; one refused for its declared length is left alone, for the caller to
 * cancel or drop (Node's adapter for an incoming request fails if it is cancelled before it is read).
 * @example
 * const bytes = await readBoundedBody(request, 1_048_576);
 * if (bytes === undefined) return new Response(null, { status: 413 });
 */
export async function readBoundedBody(
  message: { readonly body: ReadableStream<Uint8Array> | null; readonly headers: Headers },
  limit: number,
): Promise<Uint8Array | undefined> {
  const declared = Number(message.headers.get("content-length") ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) return undefined;
  if (!message.body) return new Uint8Array();
  const reader = message.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
