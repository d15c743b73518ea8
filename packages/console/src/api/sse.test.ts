import { describe, expect, it } from "vitest";
import { parseSse } from "./sse.js";

describe("parseSse", () => {
  it("splits complete events and keeps the unfinished tail", () => {
    const { events, rest } = parseSse(
      'retry: 2000\n: connected\n\nevent: request\nid: 7\ndata: {"a":1}\n\nevent: req',
    );
    expect(events).toEqual([{ event: "request", id: "7", data: '{"a":1}' }]);
    expect(rest).toBe("event: req");
    const next = parseSse(`${rest}uest\ndata: x\ndata: y\n\n`);
    expect(next.events).toEqual([{ event: "request", data: "x\ny" }]);
    expect(next.rest).toBe("");
  });

  it("reads CRLF line ends, drops comments and blocks without data", () => {
    const { events } = parseSse(": keepalive\r\n\r\nid: 3\r\n\r\ndata:no-space\r\n\r\n");
    expect(events).toEqual([{ event: "message", data: "no-space" }]);
  });
});
