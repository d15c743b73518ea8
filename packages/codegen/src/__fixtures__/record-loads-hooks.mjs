// Module customization hooks (node:module register) that record each loaded URL; see record-loads.mjs.
import { appendFileSync } from "node:fs";

let log = "";

/** @param {{ log: string }} data */
export function initialize(data) {
  log = data.log;
}

/** @type {import("node:module").LoadHook} */
export async function load(url, context, nextLoad) {
  appendFileSync(log, `${url}\n`);
  return nextLoad(url, context);
}
