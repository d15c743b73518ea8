/** One Server-Sent Event (HTML Living Standard §9.2.6): its type, data (lines joined by "\n") and id. */
export interface SseEvent {
  readonly event: string;
  readonly data: string;
  readonly id?: string;
}

/**
 * Splits a text buffer into complete events; `rest` is the unfinished tail to prepend to the next
 * chunk. Comment lines (`: keepalive`) and `retry:` are dropped; a block without `data` dispatches
 * nothing, as the standard says.
 *
 * @example
 * parseSse("event: request\nid: 7\ndata: {}\n\n: keep"); // { events: [{ event: "request", data: "{}", id: "7" }], rest: ": keep" }
 */
export function parseSse(buffer: string): { events: SseEvent[]; rest: string } {
  const events: SseEvent[] = [];
  const text = buffer.replace(/\r\n?/g, "\n");
  let start = 0;
  for (;;) {
    const end = text.indexOf("\n\n", start);
    if (end === -1) break;
    const block = text.slice(start, end);
    start = end + 2;
    let event = "message";
    let id: string | undefined;
    const data: string[] = [];
    for (const line of block.split("\n")) {
      if (line === "" || line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon === -1 ? line : line.slice(0, colon);
      let value = colon === -1 ? "" : line.slice(colon + 1);
      if (value.startsWith(" ")) value = value.slice(1);
      if (field === "event") event = value;
      else if (field === "data") data.push(value);
      else if (field === "id" && !value.includes("\0")) id = value;
    }
    if (data.length > 0) events.push({ event, data: data.join("\n"), ...(id !== undefined && { id }) });
  }
  return { events, rest: text.slice(start) };
}
