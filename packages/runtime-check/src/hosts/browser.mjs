// Browser host of the smoke program: the page served next to /scim/v2 (same origin) runs it against
// that origin and POSTs its JSON result to /__result. The token comes from the page's query string.
import { runSmoke } from "../smoke.mjs";

const token = new URL(location.href).searchParams.get("token") ?? "";
const result = await runSmoke({
  baseUrl: new URL("/scim/v2", location.origin).href,
  token,
  runtime: `chromium ${navigator.userAgent}`,
});
await fetch("/__result", { method: "POST", body: JSON.stringify(result) });
