/// <reference types="node" />
import { expect } from "vitest";
import type { TestServer } from "../../replays/__fixtures__/server.js";
import type { RequestSummary } from "../types.js";

/** GET on the console's read API, with the server's token unless `token` says otherwise. */
export async function consoleGet(
  s: TestServer,
  path: string,
  token?: string | null,
  // biome-ignore lint/suspicious/noExplicitAny: read API bodies are asserted field by field
): Promise<{ status: number; body: any; text: string }> {
  const r = await s.request(`/_console${path}`, token === undefined ? {} : { token });
  return { status: r.status, body: r.body, text: r.text };
}

/** Polls the list until `predicate` holds for its items (records are written after the answer), up to 3 s. */
export async function waitForRequests(
  s: TestServer,
  query: string,
  predicate: (items: RequestSummary[]) => boolean,
): Promise<RequestSummary[]> {
  const deadline = Date.now() + 3000;
  for (;;) {
    const r = await consoleGet(s, `/requests${query}`);
    expect(r.status, r.text).toBe(200);
    const items = r.body.items as RequestSummary[];
    if (predicate(items)) return items;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for recorded requests; last page: ${r.text}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** An open event stream of the console API, read with fetch (EventSource cannot send Authorization). */
export interface EventStream {
  /** The next `request` event's summary, or a rejection after `ms`. */
  next(ms?: number): Promise<RequestSummary>;
  close(): void;
}

export async function openEvents(
  s: TestServer,
  token: string,
  headers: Record<string, string> = {},
): Promise<EventStream> {
  const controller = new AbortController();
  const response = await fetch(`${s.base}/_console/events`, {
    headers: { authorization: `Bearer ${token}`, ...headers },
    signal: controller.signal,
  });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  const events: RequestSummary[] = [];
  let wake: (() => void) | undefined;
  void (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end = buffer.indexOf("\n\n");
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block
            .split("\n")
            .filter((line) => line.startsWith("data: "))
            .map((line) => line.slice(6))
            .join("\n");
          if (/^event: request$/m.test(block) && data !== "") events.push(JSON.parse(data) as RequestSummary);
          end = buffer.indexOf("\n\n");
        }
        wake?.();
      }
    } catch {
      // Aborted by close().
    }
  })();
  return {
    async next(ms = 2000) {
      const deadline = Date.now() + ms;
      while (events.length === 0) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no event within ${ms} ms`);
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, left);
        });
      }
      return events.shift() as RequestSummary;
    },
    close: () => controller.abort(),
  };
}
