import type { ApiError, ConsoleApi } from "./api/client.js";
import { followEvents, type LiveState } from "./api/live.js";
import type { RequestSummary } from "./api/types.js";

/** One event stream for the whole page, shared by the views that show live data. */
export class LiveHub {
  private readonly listeners = new Set<(summary: RequestSummary) => void>();
  private readonly stop: () => void;
  state: LiveState = "connecting";

  constructor(api: ConsoleApi, onState: (state: LiveState) => void, onRefused: (error: ApiError) => void) {
    this.stop = followEvents(api, {
      onRequest: (summary) => {
        for (const listener of this.listeners) listener(summary);
      },
      onState: (state) => {
        this.state = state;
        onState(state);
      },
      onRefused,
    });
  }

  /** Calls `listener` for every request recorded from now on; returns the unsubscribe function. */
  subscribe(listener: (summary: RequestSummary) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.stop();
    this.listeners.clear();
  }
}
