// A small element builder instead of a framework (README, "Decisions"): four views of lists and
// forms need no diffing, and building nodes with properties (never innerHTML, never a `style`
// attribute) keeps the page safe under the Content-Security-Policy the server sends.

type Child = Node | string | number | false | null | undefined;
type Children = Child | readonly Children[];
type Props = Record<string, string | number | boolean | undefined | EventListener>;

/**
 * Creates an element: `on*` props become listeners, `class`, `for`, `aria-*`, `data-*`, `role` and
 * other names attributes (skipped when `undefined` or `false`), and children nodes or text.
 *
 * @example
 * h("button", { type: "button", class: "primary", onclick: () => save() }, "Save");
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: Children[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === false) continue;
    if (name.startsWith("on") && typeof value === "function")
      element.addEventListener(name.slice(2), value as EventListener);
    else if (name === "value" && "value" in element) (element as HTMLInputElement).value = String(value);
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  append(element, children);
  return element;
}

function append(parent: Node, children: readonly Children[]): void {
  for (const child of children) {
    if (Array.isArray(child)) append(parent, child as readonly Children[]);
    else if (child instanceof Node) parent.appendChild(child);
    else if (child !== undefined && child !== null && child !== false)
      parent.appendChild(document.createTextNode(String(child)));
  }
}

/** Replaces every child of `parent`. */
export function replace(parent: Element, ...children: Children[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/** Pretty JSON for a `<pre>`; text that is not JSON is shown as it is. */
export function pretty(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value, null, 2);
}

/** A local time with seconds (`14:03:07`), and the date when it is not today. */
export function clock(iso: string, now = new Date()): string {
  const date = new Date(iso);
  const time = date.toLocaleTimeString(undefined, { hour12: false });
  return date.toDateString() === now.toDateString()
    ? time
    : `${date.toLocaleDateString(undefined, { month: "short", day: "numeric" })} ${time}`;
}

/** "12 s ago", "5 min ago", "3 h ago", "2 d ago". */
export function ago(iso: string, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86_400)} d ago`;
}

/** The display name of an IdP value of the read API. */
export function idpLabel(idp: string): string {
  return idp === "entra" ? "Entra ID" : idp === "okta" ? "Okta" : "other";
}
