import { ApiError, type ConsoleApi } from "./client.js";
import { parseSse } from "./sse.js";
import type { RequestSummary } from "./types.js";

export type LiveState = "connecting" | "live" | "retrying";

/**
 * Follows `{basePath}/_console/events` with fetch (EventSource cannot send the Authorization header)
 * and reconnects after a drop with `Last-Event-ID`, so the server replays what was missed. A 401
 * stops it and reports the refusal; other failures retry after 2 s (the server's `retry:`).
 */
export function followEvents(
  api: ConsoleApi,
  handlers: {
    onRequest(summary: RequestSummary): void;
    onState(state: LiveState): void;
    onRefused(error: ApiError): void;
  },
): () => void {
  const controller = new AbortController();
  let lastId: string | undefined;
  let retryMs = 2000;
  const run = async () => {
    while (!controller.signal.aborted) {
      handlers.onState("connecting");
      try {
        const response = await api.events(lastId, controller.signal);
        if (response.status === 401) {
          handlers.onRefused(new ApiError(401, "the server no longer accepts this token"));
          return;
        }
        if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
        handlers.onState("live");
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = "";
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          const parsed = parseSse(buffer + value);
          buffer = parsed.rest;
          for (const event of parsed.events) {
            if (event.id !== undefined) lastId = event.id;
            if (event.event !== "request") continue;
            try {
              handlers.onRequest(JSON.parse(event.data) as RequestSummary);
            } catch {
              // A malformed event is skipped; the next page load shows the request anyway.
            }
          }
          const retry = /(?:^|\n)retry: *(\d+)/.exec(value);
          if (retry?.[1]) retryMs = Number(retry[1]);
        }
      } catch {
        if (controller.signal.aborted) return;
      }
      handlers.onState("retrying");
      await new Promise((resolve) => setTimeout(resolve, retryMs));
    }
  };
  void run();
  return () => controller.abort();
}
