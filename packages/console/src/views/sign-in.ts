import { ApiError, ConsoleApi } from "../api/client.js";
import { basePath, saveToken } from "../session.js";
import { h, replace } from "../ui/dom.js";

/**
 * The sign-in form: one password input for the bearer token. The token is tried on the read API's
 * stats (the cheapest authenticated call) before it is kept; a refusal says so and keeps the form.
 */
export function renderSignIn(root: HTMLElement, onSignedIn: (api: ConsoleApi) => void, notice?: string) {
  const input = h("input", {
    id: "token",
    name: "token",
    type: "password",
    autocomplete: "current-password",
    required: true,
    spellcheck: "false",
    "aria-describedby": "token-help token-error",
  });
  // One live region for both: a neutral notice (signed out) until a refusal turns it into an error.
  const error = h("p", { id: "token-error", class: "form-notice", role: "alert" }, notice ?? "");
  const submit = h("button", { type: "submit", class: "primary" }, "Sign in");
  const form = h(
    "form",
    { class: "sign-in", "aria-labelledby": "sign-in-title" },
    h("h1", { id: "sign-in-title" }, "Provisioning console"),
    h(
      "p",
      { class: "muted" },
      "See what your identity provider sent, what failed and why. Nothing is shown until you sign in.",
    ),
    h("label", { for: "token" }, "Bearer token"),
    input,
    h(
      "p",
      { id: "token-help", class: "muted small" },
      "The SCIM token of this server (the reference server prints it at start). It is kept for this tab only.",
    ),
    error,
    submit,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const token = input.value.trim();
    if (token === "") return;
    submit.disabled = true;
    error.className = "form-notice";
    error.textContent = "Checking the token…";
    const api = new ConsoleApi(basePath(), token);
    try {
      await api.stats();
      saveToken(token);
      onSignedIn(api);
    } catch (failure) {
      error.className = "form-error";
      error.textContent = refusal(failure);
      submit.disabled = false;
      input.select();
      input.focus();
    }
  });
  replace(root, h("main", { id: "main", class: "sign-in-page" }, form));
  input.focus();
}

function refusal(failure: unknown): string {
  if (failure instanceof ApiError) {
    if (failure.status === 401)
      return `Wrong token: the server refused it (401${failure.detail ? `: ${failure.detail}` : ""}).`;
    if (failure.status === 404)
      return `The token works, but this server has no console to read: ${failure.detail}`;
    return `Could not sign in: ${failure.message}`;
  }
  return `Could not sign in: ${failure instanceof Error ? failure.message : String(failure)}`;
}
