import { ApiError } from "../api/client.js";
import type { ResourceChange, ScimResource } from "../api/types.js";
import { href } from "../router.js";
import { clock, h, idpLabel, pretty, replace } from "../ui/dom.js";
import type { Cleanup, ViewContext } from "./context.js";

const PAGE = 25;
// The filter typed last per endpoint, kept while the tab lives.
const filters: Record<"Users" | "Groups", string> = { Users: "", Groups: "" };

/**
 * Resources: Users and Groups found with a SCIM filter (RFC 7644 §3.4.2.2, evaluated by the server),
 * and one resource's JSON beside its history: which request changed what, when, from which IdP.
 */
export function renderResources(
  main: HTMLElement,
  ctx: ViewContext,
  endpoint: "Users" | "Groups",
  id: string | undefined,
): Cleanup {
  ctx.title(endpoint);
  const tabs = h(
    "nav",
    { class: "tabs", "aria-label": "Resource type" },
    (["Users", "Groups"] as const).map((e) =>
      h(
        "a",
        {
          href: href({ view: "resources", endpoint: e }),
          class: "nav-link",
          "aria-current": e === endpoint ? "page" : undefined,
        },
        e,
      ),
    ),
  );
  const input = h("input", {
    id: "filter",
    type: "search",
    value: filters[endpoint],
    placeholder: endpoint === "Users" ? 'userName sw "j"' : 'displayName co "admins"',
    spellcheck: "false",
    "aria-describedby": "filter-help",
  });
  const form = h(
    "form",
    { class: "filters", role: "search", "aria-label": `Find ${endpoint}` },
    h(
      "div",
      { class: "field grow" },
      h("label", { for: "filter" }, "SCIM filter"),
      input,
      h("p", { id: "filter-help", class: "muted small" }, "RFC 7644 §3.4.2.2; empty lists them all."),
    ),
    h("button", { type: "submit", class: "primary" }, "Search"),
  );
  const status = h("p", { class: "list-status", role: "status", "aria-live": "polite" });
  const results = h("ol", { class: "resources", "aria-label": `${endpoint} found` });
  const pager = h("div", { class: "pager" });
  const detail = h("section", { class: "resource-detail", "aria-label": "Selected resource" });
  replace(
    main,
    tabs,
    h("div", { class: "split" }, h("div", { class: "list-side" }, form, status, results, pager), detail),
  );

  let startIndex = 1;
  const search = async () => {
    filters[endpoint] = input.value;
    status.textContent = "Searching…";
    try {
      const page = await ctx.api.list(endpoint, input.value, startIndex, PAGE);
      const items = page.Resources ?? [];
      replace(
        results,
        items.map((r) =>
          h(
            "li",
            { class: r.id === id ? "selected" : undefined },
            h(
              "a",
              {
                href: href({ view: "resources", endpoint, id: r.id }),
                class: "resource-link",
                "aria-current": r.id === id ? "true" : undefined,
              },
              h("span", { class: "name" }, nameOf(r)),
              h("span", { class: "muted small" }, r.id),
            ),
          ),
        ),
      );
      const last = startIndex + items.length - 1;
      status.textContent =
        page.totalResults === 0
          ? `No ${endpoint.toLowerCase()} match.`
          : `${startIndex}–${last} of ${page.totalResults}.`;
      replace(
        pager,
        startIndex > 1 ? pageButton("Previous", () => Math.max(1, startIndex - PAGE)) : null,
        last < page.totalResults ? pageButton("Next", () => startIndex + PAGE) : null,
      );
    } catch (error) {
      results.replaceChildren();
      pager.replaceChildren();
      status.textContent =
        error instanceof ApiError
          ? `The server refused the filter: ${error.message}`
          : `Search failed: ${error}`;
    }
  };
  const pageButton = (label: string, next: () => number) =>
    h(
      "button",
      {
        type: "button",
        onclick: () => {
          startIndex = next();
          void search();
        },
      },
      label,
    );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    startIndex = 1;
    void search();
  });
  void search();
  if (id) void showResource(ctx, detail, endpoint, id);
  else
    replace(
      detail,
      h("p", { class: "muted" }, `Pick one of the ${endpoint.toLowerCase()} to see its JSON and history.`),
    );
  return () => undefined;
}

function nameOf(r: ScimResource): string {
  return r.userName ?? r.displayName ?? r.id;
}

async function showResource(
  ctx: ViewContext,
  section: HTMLElement,
  endpoint: "Users" | "Groups",
  id: string,
) {
  section.textContent = "Loading…";
  const type = endpoint === "Users" ? "User" : "Group";
  const [resource, history] = await Promise.allSettled([
    ctx.api.resource(endpoint, id),
    ctx.api.history(type, id),
  ]);
  const historyItems = history.status === "fulfilled" ? history.value.items : [];
  replace(
    section,
    h("h2", {}, resource.status === "fulfilled" ? nameOf(resource.value) : `${type} ${id}`),
    resource.status === "fulfilled"
      ? h(
          "details",
          { class: "json", open: true },
          h("summary", {}, "JSON"),
          h("pre", { tabindex: "0" }, pretty(resource.value)),
        )
      : h("p", { class: "form-error" }, `Could not read it: ${errorText(resource.reason)}`),
    h("h3", {}, "History"),
    history.status === "rejected"
      ? h("p", { class: "form-error" }, `Could not read its history: ${errorText(history.reason)}`)
      : historyItems.length === 0
        ? h("p", { class: "muted" }, "No recorded changes (they may be older than the retention).")
        : h("ol", { class: "history", "aria-label": "Changes, newest first" }, historyItems.map(change)),
  );
}

function change(c: ResourceChange): HTMLElement {
  return h(
    "li",
    { class: `change ${c.outcome}`, "data-action": c.action },
    h(
      "p",
      { class: "change-head" },
      h("time", { datetime: c.time }, clock(c.time)),
      " ",
      h("strong", {}, `${c.method} ${c.action}`),
      ` ${c.outcome} (${c.status}) from ${idpLabel(c.idp)}`,
      c.subject ? ` as ${c.subject}` : "",
      " · ",
      h("a", { href: href({ view: "request", id: c.requestId }) }, `request ${c.requestId}`),
    ),
    c.detail ? h("p", { class: "detail" }, c.detail) : null,
    c.body ? h("pre", { tabindex: "0" }, prettyText(c.body)) : null,
  );
}

function prettyText(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function errorText(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}
