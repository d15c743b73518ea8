import type { ConsoleApi } from "../api/client.js";
import type { LiveHub } from "../live-hub.js";

/** What every view gets: the API with the token, the live events, and a way to say where it is. */
export interface ViewContext {
  readonly api: ConsoleApi;
  readonly live: LiveHub;
  /** Sets the document title and the view's heading text. */
  title(text: string): void;
}

/** A view fills `main` and returns what to stop (timers, subscriptions) when the route changes. */
export type Cleanup = () => void;
