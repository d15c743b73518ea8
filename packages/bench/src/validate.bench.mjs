// Validation benchmark (issue 16): @scimkit/server's generated straight-line validator (validators.gen.ts)
// against its generic zod path, ajv 8 (2020-12) compiled from the same generated JSON Schema view (the
// ceiling: ajv checks but does not normalize), and SCIMMY, side by side in one process, against the BUILT
// packages. Build first: `npx -y pnpm@10 turbo run build --filter=@scimkit/server... --filter=@scimkit/models`.
import { readFileSync } from "node:fs";
import os from "node:os";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import SCIMMY from "scimmy";
import { faster, fmt, machineLine, measure } from "./harness.mjs";
import { deepFreeze, ENTERPRISE_USER } from "./rfc-users.mjs";

const load = (name) =>
  import(name).catch((error) => {
    console.error(`Build ${name} and its dependencies first (see the header):`, error.message);
    process.exit(1);
  });
const { validateResource, validators } = await load("@scimkit/server");
const { jsonSchema } = await load("@scimkit/models");

const versionOf = (name) =>
  JSON.parse(readFileSync(new URL(`../node_modules/${name}/package.json`, import.meta.url), "utf8")).version;
let last;

// ------------------------------------------------------------------------------------- the subjects
// The RFC 7643 §8.3 body as the RFC prints it (id, meta, groups and manager.displayName are readOnly: scimkit
// drops them, RFC 7644 §3.3), and the same user as a client sends it to create it: the input view, which
// declares additionalProperties: false, so ajv accepts only this one.
const full = ENTERPRISE_USER;
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const createBody = deepFreeze(validateResource("User", structuredClone(full), { operation: "create" }));

// The generic path: the same zod validators record without the generated validators linked in.
const generic = Object.fromEntries(
  Object.entries(validators).map(([name, v]) => [
    name,
    { resource: v.resource, input: v.input, patch: v.patch },
  ]),
);
if (typeof validators.User.compiled?.input !== "function")
  throw new Error("the build has no generated validators");

// ajv as its README compiles a schema: 2020-12 build, formats from ajv-formats. `date-time` is checked as
// scimkit checks it; scimkit does not check `uri-reference` (RFC 7643 §2.3.7 references are any URI), so ajv
// skips it too. `strict: false` lets the `x-scim` annotations through.
const ajv = new Ajv2020({ strict: false });
addFormats(ajv, ["date-time"]);
ajv.addFormat("uri-reference", true);
const ajvValidate = ajv.compile({ ...jsonSchema, $ref: "#/$defs/UserInput" });

// ajv doing the checks scimkit does on binary values too: ajv ignores `contentEncoding` (an annotation in
// 2020-12), so this copy of the schema adds ajv-formats' base64 format, `byte`, wherever it appears.
const withByte = (node) =>
  Array.isArray(node)
    ? node.map(withByte)
    : node && typeof node === "object"
      ? Object.fromEntries([
          ...Object.entries(node).map(([k, v]) => [k, withByte(v)]),
          ...(node.contentEncoding === "base64" ? [["format", "byte"]] : []),
        ])
      : node;
const ajvBytes = new Ajv2020({ strict: false });
addFormats(ajvBytes, ["date-time", "byte"]);
ajvBytes.addFormat("uri-reference", true);
const ajvBase64 = ajvBytes.compile({ ...withByte(jsonSchema), $ref: "#/$defs/UserInput" });

// The same user without its one binary value (a 1,120-character certificate): the checks both do alike.
const { x509Certificates: _certificates, ...noBinary } = createBody;

SCIMMY.Resources.declare(SCIMMY.Resources.User).extend(SCIMMY.Schemas.EnterpriseUser);

// ------------------------------------------------------------------------------------------- checks
const canonical = (value) => JSON.stringify(value);
for (const [name, body] of [
  ["full", full],
  ["create", createBody],
]) {
  const fast = validateResource("User", body, { operation: "create" });
  const slow = validateResource("User", body, { operation: "create", validators: generic });
  if (canonical(fast) !== canonical(slow)) throw new Error(`${name}: generated and generic paths differ`);
  if (canonical(fast) !== canonical(createBody)) throw new Error(`${name}: not the create body`);
  if (fast[ENTERPRISE]?.manager?.value !== full[ENTERPRISE].manager.value)
    throw new Error("lost the manager");
}
if (!ajvValidate(createBody))
  throw new Error(`ajv rejects the create body: ${JSON.stringify(ajvValidate.errors)}`);
if (ajvValidate(full)) throw new Error("ajv accepts readOnly attributes in the input view");
if (ajvValidate({ ...createBody, active: "yes" })) throw new Error("ajv does not check types");
if (!ajvBase64(createBody) || !ajvValidate(noBinary)) throw new Error("ajv rejects a valid body");
const notBase64 = { ...createBody, x509Certificates: [{ value: "not base64!" }] };
if (ajvBase64(notBase64) || !ajvValidate(notBase64)) throw new Error("the byte format is not applied");
if (canonical(validateResource("User", noBinary, { operation: "create" })) !== canonical(noBinary))
  throw new Error("noBinary: not the same body");
if (new SCIMMY.Schemas.User(full, "in").userName !== full.userName) throw new Error("SCIMMY failed");

// ---------------------------------------------------------------------------------------------- run
const results = await measure({
  generated: () => {
    last = validateResource("User", createBody, { operation: "create" });
  },
  generatedFull: () => {
    last = validateResource("User", full, { operation: "create" });
  },
  generic: () => {
    last = validateResource("User", createBody, { operation: "create", validators: generic });
  },
  ajv: () => {
    last = ajvValidate(createBody);
  },
  ajvBase64: () => {
    last = ajvBase64(createBody);
  },
  generatedNoBinary: () => {
    last = validateResource("User", noBinary, { operation: "create" });
  },
  ajvNoBinary: () => {
    last = ajvValidate(noBinary);
  },
  scimmy: () => {
    last = new SCIMMY.Schemas.User(full, "in");
  },
});
void last;

const us = (hz) => (1e6 / hz).toFixed(2);
const row = (label, hz, note) => `| ${label} | ${fmt(hz)} | ${us(hz)} | ${note} |`;
console.log(
  [
    `Peers: ajv ${versionOf("ajv")} (+ ajv-formats ${versionOf("ajv-formats")}), SCIMMY ${versionOf("scimmy")}; tinybench ${versionOf("tinybench")}.`,
    "",
    `### Validating the RFC 7643 §8.3 enterprise User (one op = one create body); load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")} at the end`,
    "",
    "| validator | ops/s | µs/op | generated scimkit is |",
    "| --- | ---: | ---: | ---: |",
    row(
      'scimkit generated `validateResource("User", createBody, { operation: "create" })`',
      results.generated,
      "",
    ),
    row(
      "scimkit generic path (zod validators without `compiled`, the code before round 1)",
      results.generic,
      faster(results.generated, results.generic),
    ),
    row(
      "ajv 8 2020-12 `compile(UserInput view)(createBody)` (the ceiling: checks only, no copy or normalization)",
      results.ajv,
      `**${faster(results.generated, results.ajv)}** (target ≤ 2× slower)`,
    ),
    row(
      "ajv 8 with ajv-formats' `byte` (base64) on `contentEncoding: base64` values: the same checks",
      results.ajvBase64,
      faster(results.generated, results.ajvBase64),
    ),
    row("scimkit generated, the same user without its binary value", results.generatedNoBinary, ""),
    row(
      "ajv 8, the same user without its binary value (checks alike; scimkit also copies and normalizes)",
      results.ajvNoBinary,
      faster(results.generatedNoBinary, results.ajvNoBinary),
    ),
    row("scimkit generated on the full RFC body (readOnly attributes to drop)", results.generatedFull, ""),
    row(
      'SCIMMY `new SCIMMY.Schemas.User(fullBody, "in")`',
      results.scimmy,
      `**${faster(results.generatedFull, results.scimmy)}** (full body vs full body; target ≥ 100×)`,
    ),
    "",
    machineLine(),
  ].join("\n"),
);
