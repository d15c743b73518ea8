import type { RequestStats } from "../api/types.js";
import { ago, h, idpLabel, replace } from "../ui/dom.js";
import { perMinuteChart } from "./chart.js";
import type { Cleanup, ViewContext } from "./context.js";

/** How often the overview refreshes without live events (the minute buckets move on regardless). */
const REFRESH_MS = 15_000;

/**
 * Overview: is provisioning healthy? The current error rate, requests and errors per minute, and per
 * IdP the traffic of the last hour and when it last succeeded.
 */
export function renderOverview(main: HTMLElement, ctx: ViewContext): Cleanup {
  ctx.title("Overview");
  const health = h("section", { class: "cards", "aria-label": "Health" });
  const chartBox = h("div", { class: "chart", role: "img", "aria-label": "Requests and errors per minute" });
  const idps = h("section", { class: "idps", "aria-labelledby": "idps-title" });
  const status = h("p", { class: "list-status", role: "status" });
  replace(
    main,
    health,
    h("section", { class: "panel" }, h("h2", {}, "Requests per minute, last hour"), chartBox),
    idps,
    status,
  );
  const chart = perMinuteChart(chartBox);
  let controller: AbortController | undefined;
  let pending: ReturnType<typeof setTimeout> | undefined;

  const refresh = async () => {
    controller?.abort();
    const current = new AbortController();
    controller = current;
    try {
      const stats = await ctx.api.stats(current.signal);
      if (current.signal.aborted) return;
      renderCards(health, stats);
      renderIdps(idps, stats);
      chart.update(stats);
      chartBox.setAttribute("aria-label", describe(stats));
      status.textContent = `Updated ${new Date(stats.now).toLocaleTimeString(undefined, { hour12: false })}.`;
    } catch (error) {
      if (!current.signal.aborted)
        status.textContent = `Could not load the overview: ${error instanceof Error ? error.message : error}`;
    }
  };
  const timer = setInterval(refresh, REFRESH_MS);
  // Live events refresh the numbers, at most once a second however busy the IdP is.
  const unsubscribe = ctx.live.subscribe(() => {
    pending ??= setTimeout(() => {
      pending = undefined;
      void refresh();
    }, 1000);
  });
  void refresh();
  return () => {
    clearInterval(timer);
    if (pending) clearTimeout(pending);
    unsubscribe();
    controller?.abort();
    chart.destroy();
  };
}

function renderCards(section: HTMLElement, stats: RequestStats): void {
  const { rate, requests, errors, windowMinutes } = stats.errorRate;
  const level = rate === null ? "idle" : rate === 0 ? "ok" : rate < 0.05 ? "warn" : "bad";
  const lastHour = stats.perMinute.reduce((n, m) => n + m.requests, 0);
  const named = stats.idps.filter((i) => i.idp !== "other");
  replace(
    section,
    card(
      `Error rate (last ${windowMinutes} min)`,
      rate === null ? "no requests" : `${(rate * 100).toFixed(rate < 0.1 && rate > 0 ? 1 : 0)} %`,
      rate === null ? "Nothing arrived in this window." : `${errors} of ${requests} requests failed.`,
      level,
    ),
    card(
      "Requests, last hour",
      String(lastHour),
      `${stats.total.toLocaleString()} recorded in all.`,
      "plain",
    ),
    card(
      "Identity providers seen",
      String(named.length),
      `${named.map((i) => idpLabel(i.idp)).join(", ") || "none yet"}${stats.idps.some((i) => i.idp === "other") ? "; plus other clients" : ""}.`,
      "plain",
    ),
  );
}

function card(title: string, value: string, note: string, level: string): HTMLElement {
  return h(
    "div",
    { class: `card ${level}` },
    h("h2", {}, title),
    h("p", { class: "value" }, value),
    h("p", { class: "muted small" }, note),
  );
}

function renderIdps(section: HTMLElement, stats: RequestStats): void {
  replace(
    section,
    h("h2", { id: "idps-title" }, "Per identity provider"),
    stats.idps.length === 0
      ? h("p", { class: "muted" }, "No requests recorded yet.")
      : h(
          "div",
          { class: "table-wrap" },
          h(
            "table",
            {},
            h(
              "thead",
              {},
              h(
                "tr",
                {},
                ["Identity provider", "Requests (1 h)", "Errors (1 h)", "Last request", "Last success"].map(
                  (t) => h("th", { scope: "col" }, t),
                ),
              ),
            ),
            h(
              "tbody",
              {},
              stats.idps.map((i) =>
                h(
                  "tr",
                  { class: i.errors > 0 ? "has-errors" : undefined, "data-idp": i.idp },
                  h("th", { scope: "row" }, idpLabel(i.idp)),
                  h("td", {}, String(i.requests)),
                  h("td", { class: i.errors > 0 ? "errors" : undefined }, String(i.errors)),
                  h("td", {}, when(i.lastRequest, stats.now)),
                  h("td", { class: stale(i) ? "errors" : undefined }, when(i.lastSuccess, stats.now)),
                ),
              ),
            ),
          ),
        ),
  );
}

/** A success older than the last request means the IdP is still calling but failing. */
function stale(i: RequestStats["idps"][number]): boolean {
  return i.lastRequest !== undefined && (i.lastSuccess === undefined || i.lastSuccess < i.lastRequest);
}

function when(iso: string | undefined, now: string): Node | string {
  return iso ? h("time", { datetime: iso, title: iso }, ago(iso, Date.parse(now))) : "never";
}

function describe(stats: RequestStats): string {
  const requests = stats.perMinute.reduce((n, m) => n + m.requests, 0);
  const errors = stats.perMinute.reduce((n, m) => n + m.errors, 0);
  return `Requests and errors per minute over the last hour: ${requests} requests, ${errors} errors.`;
}
