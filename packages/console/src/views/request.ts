import { h, replace } from "../ui/dom.js";
import type { Cleanup, ViewContext } from "./context.js";
import { requestDetail } from "./request-detail.js";

/** One recorded request on its own page (linked from a resource's history). */
export function renderRequest(main: HTMLElement, ctx: ViewContext, id: string): Cleanup {
  ctx.title(`Request ${id}`);
  const box = h("div", {}, "Loading…");
  replace(main, h("p", {}, h("a", { href: "#/activity" }, "← Activity")), box);
  requestDetail(ctx.api, id).then(
    (detail) => replace(box, detail),
    (error) =>
      replace(
        box,
        h(
          "p",
          { class: "form-error" },
          `Could not load request ${id}: ${error instanceof Error ? error.message : error}`,
        ),
      ),
  );
  return () => undefined;
}
