import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { lineWriter } from "./io.js";

/** A real Writable that takes one chunk per `delayMs`, like a slow reader at the end of a pipe. */
function slowStream(delayMs: number, highWaterMark: number) {
  const received: string[] = [];
  let peakQueued = 0;
  const stream = new Writable({
    highWaterMark,
    write(chunk, _encoding, callback) {
      peakQueued = Math.max(peakQueued, stream.writableLength);
      received.push(String(chunk));
      setTimeout(callback, delayMs);
    },
  });
  return { stream, received, peak: () => peakQueued };
}

describe("lineWriter", () => {
  it("waits for a slow reader: the queue stays near its highWaterMark instead of holding every line", async () => {
    const { stream, received, peak } = slowStream(0, 256);
    const lines = lineWriter(stream);
    let waits = 0;
    for (let i = 0; i < 2_000; i++) {
      lines.write(`create      row ${i + 2}: user-${i}`);
      const drained = lines.drained();
      if (drained !== undefined) {
        waits += 1;
        await drained;
      }
    }
    stream.end();
    await new Promise((resolve) => stream.once("finish", resolve));
    expect(received).toHaveLength(2_000);
    expect(received[1_999]).toBe("create      row 2001: user-1999\n");
    expect(waits).toBeGreaterThan(0);
    // 2,000 lines are ~66 KB; with back-pressure at most one line past the 256-byte mark is queued
    expect(peak()).toBeLessThan(256 + 64);
  });

  it("does not wait on a stream that keeps up, and never hangs on one that closes", async () => {
    const { stream } = slowStream(0, 1 << 20);
    const lines = lineWriter(stream);
    lines.write("x");
    expect(lines.drained()).toBeUndefined();
    const tight = slowStream(1_000, 1);
    const blocked = lineWriter(tight.stream);
    blocked.write("a line longer than the mark");
    const drained = blocked.drained();
    expect(drained).toBeInstanceOf(Promise);
    tight.stream.destroy();
    await expect(drained).resolves.toBeUndefined();
  });
});
