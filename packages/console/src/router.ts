/** The console's places, addressed by the URL fragment so reloads and links keep the view. */
export type Route =
  | { readonly view: "activity" }
  | { readonly view: "overview" }
  | { readonly view: "resources"; readonly endpoint: "Users" | "Groups"; readonly id?: string }
  | { readonly view: "request"; readonly id: string };

/**
 * Reads a fragment such as `#/resources/Users/2819c223`; anything unknown is the Activity view.
 *
 * @example
 * parseRoute("#/requests/42"); // { view: "request", id: "42" }
 */
export function parseRoute(hash: string): Route {
  const parts = hash
    .replace(/^#\/?/, "")
    .split("?")[0]
    ?.split("/")
    .filter((p) => p !== "")
    .map((p) => decodeURIComponent(p)) ?? [""];
  const [first, second, third] = parts;
  if (first === "overview") return { view: "overview" };
  if (first === "requests" && second) return { view: "request", id: second };
  if (first === "resources") {
    const endpoint = second === "Groups" ? "Groups" : "Users";
    return third ? { view: "resources", endpoint, id: third } : { view: "resources", endpoint };
  }
  return { view: "activity" };
}

/** The fragment of a route (the inverse of {@link parseRoute}). */
export function href(route: Route): string {
  switch (route.view) {
    case "activity":
    case "overview":
      return `#/${route.view}`;
    case "request":
      return `#/requests/${encodeURIComponent(route.id)}`;
    case "resources":
      return `#/resources/${route.endpoint}${route.id ? `/${encodeURIComponent(route.id)}` : ""}`;
    default: {
      const never: never = route;
      throw new TypeError(`unknown route ${JSON.stringify(never)}`);
    }
  }
}
