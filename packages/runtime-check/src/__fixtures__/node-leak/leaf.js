import { readFileSync } from "node:fs";
// biome-ignore lint/style/useNodejsImportProtocol: the check must also catch a bare builtin name
import { Buffer as NodeBuffer } from "buffer";

export function describeHome() {
  // A feature test is still a reference: bundlers for browsers and workers do not provide `process`.
  const home = typeof process === "undefined" ? "/" : process.env.HOME;
  return NodeBuffer.from(readFileSync(`${home}/.profile`)).toString("base64");
}
