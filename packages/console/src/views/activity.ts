import { ApiError } from "../api/client.js";
import { matchesFilters, sinceOf, TIME_RANGES } from "../api/filters.js";
import type { IdpName, RequestFilters, RequestSummary, StatusClass } from "../api/types.js";
import { clock, h, idpLabel, replace } from "../ui/dom.js";
import type { Cleanup, ViewContext } from "./context.js";
import { requestDetail } from "./request-detail.js";

/** Most rows kept on the page; older ones stay reachable through the server's paging. */
const MAX_ROWS = 1000;

interface FilterForm {
  range: string;
  from: string;
  to: string;
  status: string;
  idp: string;
  resourceType: string;
  method: string;
  q: string;
}

// Kept across route changes so going back to Activity keeps the filters.
let remembered: FilterForm = {
  range: "",
  from: "",
  to: "",
  status: "",
  idp: "",
  resourceType: "",
  method: "",
  q: "",
};

function select(id: string, label: string, value: string, options: readonly (readonly [string, string])[]) {
  return h(
    "div",
    { class: "field" },
    h("label", { for: id }, label),
    h(
      "select",
      { id, name: id },
      options.map(([v, text]) => h("option", { value: v, selected: v === value }, text)),
    ),
  );
}

/**
 * Activity: recorded requests newest first, paged by the server, new ones arriving live over SSE;
 * failures stand out and open to their bodies and the reason.
 */
export function renderActivity(main: HTMLElement, ctx: ViewContext): Cleanup {
  ctx.title("Activity");
  const f = remembered;
  const custom = h(
    "div",
    { class: "custom-range", hidden: f.range !== "custom" },
    h(
      "div",
      { class: "field" },
      h("label", { for: "from" }, "From"),
      h("input", { id: "from", type: "datetime-local", value: f.from, step: "1" }),
    ),
    h(
      "div",
      { class: "field" },
      h("label", { for: "to" }, "Until"),
      h("input", { id: "to", type: "datetime-local", value: f.to, step: "1" }),
    ),
  );
  const form = h(
    "form",
    { class: "filters", role: "search", "aria-label": "Filter requests" },
    select("range", "Time", f.range, TIME_RANGES),
    select("status", "Status", f.status, [
      ["", "Any status"],
      ["error", "Failed (4xx and 5xx)"],
      ["2xx", "2xx"],
      ["3xx", "3xx"],
      ["4xx", "4xx"],
      ["5xx", "5xx"],
    ]),
    select("idp", "Identity provider", f.idp, [
      ["", "Any"],
      ["entra", "Entra ID"],
      ["okta", "Okta"],
      ["other", "Other"],
    ]),
    select("resourceType", "Resource type", f.resourceType, [
      ["", "Any"],
      ["User", "User"],
      ["Group", "Group"],
    ]),
    select("method", "Method", f.method, [
      ["", "Any"],
      ...(["GET", "POST", "PUT", "PATCH", "DELETE"] as const).map((m) => [m, m] as const),
    ]),
    h(
      "div",
      { class: "field grow" },
      h("label", { for: "q" }, "Text"),
      h("input", { id: "q", type: "search", value: f.q, placeholder: "path, scimType, detail, id…" }),
    ),
    custom,
    h("button", { type: "submit", class: "primary" }, "Apply"),
  );
  const status = h("p", { class: "list-status", role: "status", "aria-live": "polite" });
  const list = h("ol", { class: "requests", "aria-label": "Recorded requests, newest first" });
  const more = h("button", { type: "button", class: "more", hidden: true }, "Load older requests");
  const pause = h(
    "button",
    { type: "button", "aria-pressed": "false", class: "pause" },
    "Pause live updates",
  );
  replace(main, h("div", { class: "toolbar" }, pause), form, status, list, more);

  let filters: RequestFilters = {};
  let cursor: string | undefined;
  let paused = false;
  let loading: AbortController | undefined;
  const shown = new Set<string>();

  const read = (): FilterForm => {
    const value = (id: string) =>
      (form.querySelector(`#${id}`) as HTMLInputElement | HTMLSelectElement).value;
    return {
      range: value("range"),
      from: value("from"),
      to: value("to"),
      status: value("status"),
      idp: value("idp"),
      resourceType: value("resourceType"),
      method: value("method"),
      q: value("q").trim(),
    };
  };
  const toFilters = (v: FilterForm): RequestFilters => {
    const since = v.range === "custom" ? localToIso(v.from) : sinceOf(v.range);
    const until = v.range === "custom" ? localToIso(v.to) : undefined;
    return {
      ...(since !== undefined && { since }),
      ...(until !== undefined && { until }),
      ...(v.status !== "" && { status: v.status as StatusClass }),
      ...(v.idp !== "" && { idp: v.idp as IdpName }),
      ...(v.resourceType !== "" && { resourceType: v.resourceType }),
      ...(v.method !== "" && { method: v.method }),
      ...(v.q !== "" && { q: v.q }),
    };
  };

  const load = async (reset: boolean) => {
    loading?.abort();
    const controller = new AbortController();
    loading = controller;
    if (reset) {
      remembered = read();
      filters = toFilters(remembered);
      cursor = undefined;
      // Cleared now, not when the page arrives: live rows that come in meanwhile (already matched
      // against the new filters) stay on top of it.
      list.replaceChildren();
      shown.clear();
    }
    status.textContent = "Loading…";
    try {
      const page = await ctx.api.requests(filters, cursor, controller.signal);
      if (controller.signal.aborted) return;
      for (const item of page.items) if (!shown.has(item.id)) list.append(row(item));
      for (const item of page.items) shown.add(item.id);
      cursor = page.nextCursor;
      more.hidden = cursor === undefined;
      status.textContent =
        list.childElementCount === 0
          ? "No recorded requests match these filters."
          : `${list.childElementCount} shown${cursor ? "; older ones below" : ""}.`;
    } catch (error) {
      if (controller.signal.aborted) return;
      status.textContent = `Could not load requests: ${error instanceof ApiError ? error.message : String(error)}`;
    }
  };

  const row = (r: RequestSummary): HTMLLIElement => {
    const failed = r.status >= 400;
    const detailId = `detail-${r.id}`;
    const detail = h("div", { id: detailId, class: "detail", hidden: true });
    const button = h(
      "button",
      {
        type: "button",
        class: "request-row",
        "aria-expanded": "false",
        "aria-controls": detailId,
      },
      h("span", { class: "time" }, h("time", { datetime: r.time }, clock(r.time))),
      h("span", { class: "method" }, r.method),
      h("span", { class: "path" }, r.path, r.query ? h("span", { class: "query" }, `?${r.query}`) : null),
      h(
        "span",
        { class: `status s${Math.floor(r.status / 100)}xx` },
        failed ? h("span", { class: "visually-hidden" }, "failed: ") : null,
        String(r.status),
      ),
      h("span", { class: "scim-type" }, r.scimType ?? ""),
      h("span", { class: `idp idp-${r.idp}` }, idpLabel(r.idp)),
      h(
        "span",
        { class: "duration" },
        `${r.durationMs < 10 ? r.durationMs.toFixed(1) : Math.round(r.durationMs)} ms`,
      ),
    );
    button.addEventListener("click", async () => {
      const open = button.getAttribute("aria-expanded") === "true";
      button.setAttribute("aria-expanded", String(!open));
      detail.hidden = open;
      if (open || detail.childElementCount > 0) return;
      detail.textContent = "Loading…";
      try {
        replace(detail, await requestDetail(ctx.api, r.id));
      } catch (error) {
        detail.textContent = `Could not load request ${r.id}: ${error instanceof Error ? error.message : error}`;
      }
    });
    return h(
      "li",
      { class: `request${failed ? " failed" : ""}`, "data-id": r.id, "data-idp": r.idp },
      button,
      detail,
    );
  };

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void load(true);
  });
  form.addEventListener("change", (event) => {
    const target = event.target as HTMLElement;
    if (target.id === "range") custom.hidden = (target as HTMLSelectElement).value !== "custom";
    if (target.tagName === "SELECT" || target.getAttribute("type") === "datetime-local") void load(true);
  });
  more.addEventListener("click", () => void load(false));
  pause.addEventListener("click", () => {
    paused = !paused;
    pause.setAttribute("aria-pressed", String(paused));
    pause.textContent = paused ? "Resume live updates" : "Pause live updates";
    if (!paused) void load(true);
  });

  const unsubscribe = ctx.live.subscribe((summary) => {
    if (paused || shown.has(summary.id)) return;
    // A rolling range ("last hour") moves with the clock: recompute `since` for the new row.
    const since = remembered.range !== "custom" ? sinceOf(remembered.range) : filters.since;
    const current: RequestFilters = { ...filters, ...(since !== undefined && { since }) };
    if (!matchesFilters(summary, current)) return;
    shown.add(summary.id);
    const item = row(summary);
    item.classList.add("new");
    list.prepend(item);
    while (list.childElementCount > MAX_ROWS) {
      const last = list.lastElementChild as HTMLElement;
      cursor = last.dataset.id;
      last.remove();
      more.hidden = false;
    }
    status.textContent = `${list.childElementCount} shown${cursor ? "; older ones below" : ""}.`;
  });
  void load(true);
  return () => {
    unsubscribe();
    loading?.abort();
  };
}

/** A `datetime-local` value (local time, no zone) as an ISO instant. */
function localToIso(value: string): string | undefined {
  if (value === "") return undefined;
  const ms = new Date(value).getTime();
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}
