// Style sheets by concern, in cascade order (narrow.css last: it overrides the wide layout).
import "./styles/base.css";
import "./styles/shell.css";
import "./styles/activity.css";
import "./styles/overview.css";
import "./styles/resources.css";
import "./styles/narrow.css";
import { type ApiError, ConsoleApi } from "./api/client.js";
import type { LiveState } from "./api/live.js";
import { LiveHub } from "./live-hub.js";
import { parseRoute } from "./router.js";
import { basePath, forgetToken, savedToken } from "./session.js";
import { h, replace } from "./ui/dom.js";
import { renderActivity } from "./views/activity.js";
import type { Cleanup, ViewContext } from "./views/context.js";
import { renderOverview } from "./views/overview.js";
import { renderRequest } from "./views/request.js";
import { renderResources } from "./views/resources.js";
import { renderSignIn } from "./views/sign-in.js";

const root = document.getElementById("app") as HTMLElement;

const LIVE_TEXT: Record<LiveState, string> = {
  connecting: "connecting…",
  live: "live",
  retrying: "reconnecting…",
};

function signIn(notice?: string): void {
  renderSignIn(root, startApp, notice);
}

/** The signed-in shell: header with navigation and the live indicator, and the current view. */
function startApp(api: ConsoleApi): void {
  const liveIndicator = h("span", { class: "live connecting", role: "status" }, LIVE_TEXT.connecting);
  const navLinks = (["activity", "overview", "resources"] as const).map((view) =>
    h(
      "a",
      { href: `#/${view}`, "data-view": view, class: "nav-link" },
      view[0]?.toUpperCase() + view.slice(1),
    ),
  );
  const signOut = h("button", { type: "button", class: "sign-out" }, "Sign out");
  const heading = h("h1", { id: "view-title", tabindex: "-1" });
  const main = h("main", { id: "main", "aria-labelledby": "view-title" });
  replace(
    root,
    h(
      "header",
      { class: "top" },
      h("a", { class: "brand", href: "#/activity" }, "scimkit console"),
      h("nav", { "aria-label": "Views" }, navLinks),
      liveIndicator,
      signOut,
    ),
    h("div", { class: "page" }, heading, main),
  );

  let cleanup: Cleanup | undefined;
  const stopAll = () => {
    cleanup?.();
    cleanup = undefined;
    window.removeEventListener("hashchange", route);
    live.close();
  };
  const refused = (error: ApiError) => {
    stopAll();
    forgetToken();
    signIn(`Signed out: ${error.detail}.`);
  };
  const live = new LiveHub(
    api,
    (state) => {
      liveIndicator.className = `live ${state}`;
      liveIndicator.textContent = LIVE_TEXT[state];
    },
    refused,
  );
  const ctx: ViewContext = {
    api,
    live,
    title(text) {
      heading.textContent = text;
      document.title = `${text} · scimkit console`;
    },
  };
  let first = true;
  function route(): void {
    cleanup?.();
    const current = parseRoute(location.hash);
    const section = current.view === "request" ? "activity" : current.view;
    for (const link of navLinks)
      if (link.dataset.view === section) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    main.replaceChildren();
    switch (current.view) {
      case "activity":
        cleanup = renderActivity(main, ctx);
        break;
      case "overview":
        cleanup = renderOverview(main, ctx);
        break;
      case "resources":
        cleanup = renderResources(main, ctx, current.endpoint, current.id);
        break;
      case "request":
        cleanup = renderRequest(main, ctx, current.id);
        break;
      default: {
        const never: never = current;
        throw new TypeError(`unknown view ${JSON.stringify(never)}`);
      }
    }
    // Keyboard and screen-reader users land on the new view's heading, not at the top of the page.
    if (!first) heading.focus();
    first = false;
  }
  signOut.addEventListener("click", () => {
    stopAll();
    forgetToken();
    signIn("Signed out. The token was removed from this tab.");
  });
  window.addEventListener("hashchange", route);
  route();
}

const token = savedToken();
if (token) startApp(new ConsoleApi(basePath(), token));
else signIn();
