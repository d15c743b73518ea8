// The reference SCIM 2.0 server (`pnpm start`): the RFC 7643 core resource types (User with
// EnterpriseUser, Group) at http://HOST:PORT/scim/v2, on embedded PostgreSQL (PGlite) under the data
// directory, or on PostgreSQL when DATABASE_URL is set. The settings are in config.mjs and the README.
import { join } from "node:path";
import { createScimHandler } from "@scimkit/server";
import { serve } from "@scimkit/server/node";
import { MIN_SECRET_LENGTH, readConfig } from "./config.mjs";
import { withConsole } from "./console-assets.mjs";
import { err, logRequests, out, reportErrors } from "./log.mjs";
import { keptSecret } from "./secrets.mjs";
import { stopOnSignals } from "./shutdown.mjs";
import { StartupError } from "./startup-error.mjs";
import { openStore } from "./store.mjs";

const BASE_PATH = "/scim/v2";

/**
 * @param {NodeJS.ErrnoException} error
 * @param {{ host: string, port: number }} config
 */
function listenProblem(error, { host, port }) {
  switch (error.code) {
    case "EADDRINUSE":
      return `port ${port} on ${host} is already in use; stop the other process or choose another PORT`;
    case "EACCES":
      return `no permission to listen on ${host}:${port}; ports below 1024 need privileges, choose another PORT`;
    case "EADDRNOTAVAIL":
      return `HOST=${host} is not an address of this machine; use 127.0.0.1, 0.0.0.0 (every interface) or one of its addresses`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `HOST=${host} does not resolve to an address of this machine`;
    default:
      return `cannot listen on ${host}:${port}: ${error.message}`;
  }
}

/** @param {string} host @param {number} port */
function localUrl(host, port) {
  if (host === "0.0.0.0" || host === "::") return `http://localhost:${port}`;
  return `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
}

/**
 * Starts the server from the environment; resolves once it listens.
 *
 * @param {Record<string, string | undefined>} env
 */
export async function start(env) {
  const config = readConfig(env);
  const tokenFile = join(config.dataDir, "scim-token");
  const kept = config.token === undefined ? keptSecret(tokenFile) : undefined;
  const token = config.token ?? /** @type {{ value: string }} */ (kept).value;
  const cursorSecret = config.cursorSecret ?? keptSecret(join(config.dataDir, "cursor-secret")).value;
  const { store, description } = await openStore(config);
  let running;
  try {
    const handler = createScimHandler({
      store,
      // A SCIM_TOKEN shorter than the handler's 16 characters is the operator's explicit choice (warned below).
      auth: { tokens: [token], minTokenLength: Math.min(token.length, MIN_SECRET_LENGTH) },
      basePath: BASE_PATH,
      cursorSecret,
      trustProxy: config.trustProxy,
      ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}),
      onError: reportErrors(),
      recording: config.recording,
    });
    // Everything outside BASE_PATH is the provisioning console (packages/console), in its own file.
    running = await serve(withConsole(handler, BASE_PATH), {
      port: config.port,
      host: config.host,
      gracePeriod: config.gracePeriod,
      bodyTimeout: config.bodyTimeout,
      ...(config.maxConnections ? { maxConnections: config.maxConnections } : {}),
    });
  } catch (error) {
    await store.close().catch(() => undefined);
    const code = /** @type {NodeJS.ErrnoException} */ (error).code;
    if (code && /^E[A-Z]+/.test(code))
      throw new StartupError(listenProblem(/** @type {NodeJS.ErrnoException} */ (error), config));
    throw new StartupError(error instanceof Error ? error.message : String(error));
  }
  logRequests(running.server);
  const local = `${localUrl(config.host, running.port)}${BASE_PATH}`;
  out(`scimkit reference SCIM server: ${local}`);
  out(`provisioning console: ${localUrl(config.host, running.port)}/ (sign in with the bearer token)`);
  if (config.host === "0.0.0.0" || config.host === "::")
    out(`listening on every interface (HOST=${config.host}), port ${running.port}`);
  if (config.publicUrl)
    out(`public URL (PUBLIC_URL): ${config.publicUrl}${config.trustProxy ? "; trusting proxy headers" : ""}`);
  else if (config.trustProxy)
    out("TRUST_PROXY=1: locations follow Forwarded / X-Forwarded-Proto / X-Forwarded-Host");
  out(`storage: ${description}`);
  out(
    config.recording
      ? `recording: every request, ${config.recording.bodies === "none" ? "no" : config.recording.bodies === "all" ? "all" : "failed requests'"} bodies (redacted), kept ${config.recording.maxAgeMs / 86_400_000} days / ${config.recording.maxCount} requests; console API at ${local}/_console/requests`
      : "recording: off (SCIM_RECORDING=0)",
  );
  if (kept) {
    out(`bearer token: ${token}`);
    out(
      `  ${kept.created ? "generated now and kept" : "kept"} in ${tokenFile} (mode 0600) and reused at every start; ` +
        "to rotate it, delete that file and restart, or set SCIM_TOKEN",
    );
  } else {
    out("bearer token: from SCIM_TOKEN");
    if (token.length < MIN_SECRET_LENGTH)
      err(
        `warning: SCIM_TOKEN is ${token.length} characters long; fine for a local demo, but give an identity provider a random token of at least ${MIN_SECRET_LENGTH} (e.g. \`openssl rand -base64 32\`)`,
      );
  }
  out(
    `try: curl -H "Authorization: Bearer ${kept ? token : "$SCIM_TOKEN"}" ${config.publicUrl ?? local}/ServiceProviderConfig`,
  );
  stopOnSignals({ running, store, gracePeriod: config.gracePeriod });
  return running;
}

/**
 * Runs the server; a start-up problem is one line on stderr and exit code 1.
 *
 * @param {Record<string, string | undefined>} [env]
 */
export async function main(env = process.env) {
  try {
    await start(env);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    err(
      error instanceof StartupError
        ? `scimkit: ${message}`
        : `scimkit: could not start: ${message.split("\n")[0]}`,
    );
    process.exit(1);
  }
}
