import type { RecordingStore, RequestSummary } from "../recording/types.js";
import type { Call } from "./call.js";

/** A comment line this often keeps proxies from closing an idle stream. */
const KEEPALIVE_MS = 15_000;
/** Most requests replayed after a reconnect with `Last-Event-ID`. */
const REPLAY_LIMIT = 500;

/**
 * Server-Sent Events (HTML Living Standard §9.2) of newly recorded requests of the caller's tenant:
 * `event: request`, `id:` the request id, `data:` its summary as JSON. With a `Last-Event-ID` header
 * (sent by EventSource on reconnect, or by a fetch-based client) the requests recorded since that id
 * are sent first, oldest first. The stream ends when the client goes away.
 */
export function consoleEvents(call: Call, recordings: RecordingStore): Response {
  const tenant = call.principal.tenant;
  const encoder = new TextEncoder();
  const lastId = call.request.headers.get("last-event-id");
  let stop: (() => void) | undefined;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let open = true;
      let sent = lastId !== null && /^\d{1,18}$/.test(lastId) ? BigInt(lastId) : -1n;
      let replaying = sent >= 0n;
      const held: RequestSummary[] = [];
      const write = (text: string) => {
        if (!open) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          stop?.();
        }
      };
      const send = (summary: RequestSummary) => {
        const id = BigInt(summary.id);
        if (id <= sent) return;
        sent = id;
        write(`event: request\nid: ${summary.id}\ndata: ${JSON.stringify(summary)}\n\n`);
      };
      const unsubscribe = recordings.subscribe((summary) => {
        if (summary.tenant !== tenant) return;
        if (replaying) held.push(summary);
        else send(summary);
      });
      const timer = setInterval(() => write(": keepalive\n\n"), KEEPALIVE_MS);
      (timer as { unref?: () => void }).unref?.();
      stop = () => {
        if (!open) return;
        open = false;
        unsubscribe();
        clearInterval(timer);
        call.request.signal.removeEventListener("abort", onAbort);
        try {
          controller.close();
        } catch {
          // Already closed or cancelled.
        }
      };
      const onAbort = () => stop?.();
      call.request.signal.addEventListener("abort", onAbort);
      // The reconnection delay EventSource should use, and a first line so the client knows it is connected.
      write("retry: 2000\n: connected\n\n");
      if (replaying)
        void recordings
          .list(tenant, { limit: REPLAY_LIMIT, after: String(sent) })
          .then((page) => {
            for (const summary of [...page.items].reverse()) send(summary);
          })
          .catch(() => undefined)
          .finally(() => {
            replaying = false;
            for (const summary of held.splice(0)) send(summary);
          });
    },
    cancel() {
      stop?.();
    },
  });
  return new Response(stream, {
    status: 200,
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store",
      // Reverse proxies (nginx) would otherwise buffer the stream.
      "x-accel-buffering": "no",
    },
  });
}
