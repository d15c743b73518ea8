/** `iterate`: every matching resource across index or RFC 9865 cursor pages. */
import type { IterateQuery, ListQuery, ListResponse, ServiceProviderConfig } from "./types.js";

/** How `iterate` pages when asked for `pagination`: "auto" reads the ServiceProviderConfig (RFC 9865 §4). */
export function paginationChooser(
  serviceProviderConfig: () => Promise<ServiceProviderConfig>,
): (asked: IterateQuery["pagination"]) => Promise<"index" | "cursor"> {
  return async (asked) => {
    if (asked === "index" || asked === "cursor") return asked;
    try {
      const { pagination: supported } = await serviceProviderConfig();
      return supported?.cursor === true ? "cursor" : "index";
    } catch {
      return "index"; // no readable ServiceProviderConfig: index pages work on every SCIM server
    }
  };
}

export async function* iterate<T extends object>(
  client: { list: (query: ListQuery) => Promise<ListResponse<T>> },
  query: IterateQuery,
  choose: (asked: IterateQuery["pagination"]) => Promise<"index" | "cursor">,
): AsyncGenerator<T> {
  const { pagination: asked, ...rest } = query;
  const list = (page: ListQuery) => client.list(page);
  let cursor: string | undefined = (await choose(asked)) === "cursor" ? "" : undefined;
  let startIndex = 1;
  for (;;) {
    if (cursor !== undefined) {
      const first = cursor === "";
      const page = await list({ ...rest, cursor });
      yield* page.Resources;
      // RFC 9865 §2: nextCursor is left out only on the last page (an empty page may still have one)
      if (page.nextCursor !== undefined && page.nextCursor !== "") {
        if (page.nextCursor === cursor) return; // a server repeating a cursor would loop forever
        cursor = page.nextCursor;
        continue;
      }
      // a server without RFC 9865 ignores `cursor` on the first request and answers an index page:
      // carry on by index from there; after real cursor pages, no nextCursor is the end
      if (!first || page.startIndex === undefined) return;
      startIndex = page.startIndex + page.Resources.length;
      if (page.Resources.length === 0 || startIndex > page.totalResults) return;
      cursor = undefined;
      continue;
    }
    const page = await list({ ...rest, startIndex });
    yield* page.Resources;
    if (page.nextCursor !== undefined && page.nextCursor !== "" && page.startIndex === undefined) {
      // a cursor-only server (RFC 9865 §2.3) ignored startIndex: follow its cursors instead
      cursor = page.nextCursor;
      continue;
    }
    startIndex += page.Resources.length;
    if (page.Resources.length === 0 || startIndex > page.totalResults) return;
  }
}
