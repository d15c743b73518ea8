import type { ConsoleApi } from "../api/client.js";
import type { RequestDetail } from "../api/types.js";
import { quirkHints } from "../knowledge/quirks.js";
import { errorReference } from "../knowledge/scim-types.js";
import { href } from "../router.js";
import { clock, h, idpLabel, pretty } from "../ui/dom.js";

/** Resource types the Resources view can open. */
const ENDPOINTS: Readonly<Record<string, "Users" | "Groups">> = { User: "Users", Group: "Groups" };

/**
 * A recorded request in full: why it failed (the detail, the RFC section behind its scimType, and
 * what the IdP meant when it is a known quirk), then its bodies, changes and headers.
 */
export async function requestDetail(api: ConsoleApi, id: string): Promise<HTMLElement> {
  const record = await api.request(id);
  const failed = record.status >= 400;
  return h(
    "div",
    { class: `request-detail${failed ? " failed" : ""}`, "data-request-id": record.id },
    facts(record),
    failed ? why(record) : null,
    body("Request body", "request-body", record.requestBody, record.method),
    body("Response body", "response-body", record.responseBody, record.method),
    record.changes.length > 0
      ? h(
          "section",
          { class: "changes" },
          h("h3", {}, "Changes"),
          h(
            "ul",
            {},
            record.changes.map((c) =>
              h(
                "li",
                {},
                `${c.action} ${c.resourceType}${c.resourceId ? ` ${c.resourceId}` : ""}: ${c.outcome} (${c.status})`,
                c.detail ? ` — ${c.detail}` : "",
              ),
            ),
          ),
        )
      : null,
    h(
      "details",
      { class: "headers" },
      h("summary", {}, "Request headers"),
      h("pre", { tabindex: "0" }, pretty(record.requestHeaders)),
    ),
  );
}

function facts(r: RequestDetail): HTMLElement {
  const endpoint = r.resourceType ? ENDPOINTS[r.resourceType] : undefined;
  const rows: [string, Node | string][] = [
    ["Time", `${clock(r.time)} (${r.time})`],
    ["Request", `${r.method} ${r.path}${r.query ? `?${decodeQuery(r.query)}` : ""}`],
    ["Status", `${r.status}${r.scimType ? ` ${r.scimType}` : ""}`],
    ["Duration", `${r.durationMs.toFixed(1)} ms`],
    ["Identity provider", idpLabel(r.idp)],
  ];
  if (r.subject) rows.push(["Caller", r.subject]);
  if (r.userAgent) rows.push(["User-Agent", r.userAgent]);
  if (r.resourceType)
    rows.push([
      "Resource",
      endpoint && r.resourceId && r.method !== "DELETE"
        ? h(
            "a",
            { href: href({ view: "resources", endpoint, id: r.resourceId }) },
            `${r.resourceType} ${r.resourceId}`,
          )
        : `${r.resourceType}${r.resourceId ? ` ${r.resourceId}` : ""}`,
    ]);
  return h(
    "dl",
    { class: "facts" },
    rows.map(([term, value]) => [h("dt", {}, term), h("dd", {}, value)]),
  );
}

function why(r: RequestDetail): HTMLElement {
  const reference = errorReference(r.status, r.scimType);
  const hints = quirkHints(r);
  return h(
    "section",
    { class: "why", "aria-label": "Why it failed" },
    h("h3", {}, "Why it failed"),
    r.detail ? h("p", { class: "detail" }, r.detail) : null,
    reference
      ? h(
          "p",
          { class: "reference" },
          h("strong", { class: "rfc" }, reference.section),
          r.scimType ? ` (scimType ${r.scimType}): ` : ": ",
          reference.meaning,
        )
      : null,
    hints.map((hint) =>
      h(
        "div",
        { class: "hint", role: "note" },
        h("p", {}, h("strong", {}, "Known IdP quirk: "), hint.quirk, ` — sent by ${hint.sentBy}.`),
        h("p", {}, h("strong", {}, "What it meant: "), hint.meant),
      ),
    ),
  );
}

function body(title: string, className: string, value: unknown, method: string): HTMLElement {
  const missing =
    title === "Request body" && (method === "GET" || method === "DELETE")
      ? `No body (a ${method} request has none).`
      : 'Not kept: successful requests keep their bodies only with recording.bodies: "all".';
  return h(
    "section",
    { class: `body ${className}` },
    h("h3", {}, title),
    value === undefined ? h("p", { class: "muted" }, missing) : h("pre", { tabindex: "0" }, pretty(value)),
  );
}

function decodeQuery(query: string): string {
  try {
    return decodeURIComponent(query.replace(/\+/g, " "));
  } catch {
    return query;
  }
}
