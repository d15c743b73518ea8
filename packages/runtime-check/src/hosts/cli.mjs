// Command-line host of the smoke program for Node, Bun and Deno: `<runtime> cli.mjs <baseUrl> <token>`.
// Prints one JSON line and exits 1 on failure. Reads nothing but its arguments (Deno runs it with
// --allow-net=127.0.0.1 only).
import { runSmoke } from "../smoke.mjs";

/** @type {any} */
const host = globalThis;
const [baseUrl, token] = host.Deno ? host.Deno.args : host.process.argv.slice(2);
const runtime = host.Deno
  ? `deno ${host.Deno.version.deno}`
  : host.Bun
    ? `bun ${host.Bun.version}`
    : `node ${host.process.version}`;

const result = await runSmoke({ baseUrl, token, runtime });
// biome-ignore lint/suspicious/noConsole: the result line is this program's output
console.log(JSON.stringify(result));
if (!result.ok) {
  if (host.Deno) host.Deno.exitCode = 1;
  else host.process.exitCode = 1;
}
