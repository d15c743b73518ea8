import { describe, expect, it } from "vitest";
import { readBoundedBody } from "./bounded-body.js";

/** A response whose body arrives in chunks and declares no length, like a chunked upload. */
function chunked(parts: string[]): Response {
  const encoder = new TextEncoder();
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const part = parts[pulled++];
      if (part === undefined) controller.close();
      else controller.enqueue(encoder.encode(part));
    },
  });
  return new Response(stream);
}

describe("readBoundedBody", () => {
  it("returns every byte of a body within the limit, across chunks", async () => {
    const bytes = await readBoundedBody(chunked(['{"a":', '"é"}']), 100);
    expect(new TextDecoder().decode(bytes)).toBe('{"a":"é"}');
  });

  it("refuses a declared Content-Length over the limit without reading", async () => {
    const request = new Request("http://x/", {
      method: "POST",
      body: "x".repeat(50),
      headers: { "content-length": "50" },
    });
    expect(await readBoundedBody(request, 10)).toBeUndefined();
  });

  it("stops reading once the bytes pass the limit, whatever the headers say", async () => {
    let pulls = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls++;
        controller.enqueue(new Uint8Array(1024));
      },
    });
    expect(await readBoundedBody(new Response(endless), 4096)).toBeUndefined();
    expect(pulls).toBeLessThan(10);
  });

  it("reads an absent body as empty", async () => {
    expect(await readBoundedBody(new Response(null), 10)).toStrictEqual(new Uint8Array());
  });
});
