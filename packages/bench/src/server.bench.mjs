// Validation and PATCH benchmarks (issue 4): @scimkit/server vs SCIMMY and scim-patch, side by side in one
// process, against the BUILT packages. Build first: `npx -y pnpm@10 turbo run build --filter=@scimkit/server...`
// at the root (or `pnpm build`).
import { readFileSync } from "node:fs";
import { patchBodyValidation, scimPatch } from "scim-patch";
import SCIMMY from "scimmy";
import { faster, fmt, machineLine, measure } from "./harness.mjs";
import { deepFreeze, ENTERPRISE_USER } from "./rfc-users.mjs";

const scimkit = await import("@scimkit/server").catch((error) => {
  console.error("Build @scimkit/server and its dependencies first (see README.md):", error.message);
  process.exit(1);
});
const { applyPatch, validateResource } = scimkit;

const versionOf = (name) =>
  JSON.parse(readFileSync(new URL(`../node_modules/${name}/package.json`, import.meta.url), "utf8")).version;
let last;

// ------------------------------------------------------------------------------------- the subjects
// The input is deep-frozen (rfc-users.mjs): all three libraries run in strict mode, so writing to it throws.
const user = ENTERPRISE_USER;
const snapshot = JSON.stringify(user);

// SCIMMY as its README and Resources.User#write use it: declare the User resource type with the enterprise
// extension, then `new SCIMMY.Schemas.User(body, "in")` coerces and validates an inbound body.
SCIMMY.Resources.declare(SCIMMY.Resources.User).extend(SCIMMY.Schemas.EnterpriseUser);
const scimmyDefinition = SCIMMY.Resources.User.schema.definition;

/** Three operations as Entra ID and Okta send them for one user. */
const PATCH_REQUEST = deepFreeze({
  schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
  Operations: [
    { op: "replace", path: "name.givenName", value: "Barb" },
    { op: "add", path: "emails", value: [{ value: "barbara@jensen.example", type: "other" }] },
    { op: "remove", path: 'emails[type eq "home"]' },
  ],
});
// scim-patch's non-mutating mode (README, "Mutate Document": it JSON-clones the resource first). Spelling out
// treatMissingAsAdd keeps its default, which an options object would otherwise turn off.
const SCIM_PATCH_OPTIONS = { mutateDocument: false, treatMissingAsAdd: true };
const scimPatchRun = (resource) => {
  patchBodyValidation(PATCH_REQUEST);
  return scimPatch(resource, PATCH_REQUEST.Operations, SCIM_PATCH_OPTIONS);
};

// ------------------------------------------------------------------------------------------- checks
/** Key-order-insensitive JSON, for comparing results. */
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (typeof value === "object" && value !== null)
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
      .join(",")}}`;
  return JSON.stringify(value);
}

const ours = validateResource("User", user, { operation: "create" });
const theirs = JSON.parse(JSON.stringify(new SCIMMY.Schemas.User(user, "in")));
const viaCoerce = scimmyDefinition.coerce(user, "in");
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
for (const [name, result] of [
  ["scimkit", ours],
  ["SCIMMY", theirs],
  ["SCIMMY coerce", viaCoerce],
]) {
  if (
    result.userName !== user.userName ||
    result[ENTERPRISE]?.manager?.value !== user[ENTERPRISE].manager.value
  )
    throw new Error(`${name} did not return the validated user`);
}
// Both accept the body and agree on every attribute except the ones they treat differently: scimkit drops
// readOnly input (id, groups, meta, the enterprise manager.displayName; RFC 7644 §3.3) and keeps the
// writeOnly password for the store; SCIMMY keeps manager.displayName, rebuilds meta and hides the password.
const differing = new Set(["id", "groups", "meta", "password"]);
const comparable = (r) => {
  const { displayName: _, ...manager } = r[ENTERPRISE].manager;
  const kept = Object.entries(r).filter(([k]) => !differing.has(k));
  return canonical({ ...Object.fromEntries(kept), [ENTERPRISE]: { ...r[ENTERPRISE], manager } });
};
if (comparable(ours) !== comparable(theirs))
  throw new Error(`scimkit and SCIMMY disagree:\n${comparable(ours)}\n${comparable(theirs)}`);

const patchedOurs = applyPatch(user, PATCH_REQUEST);
const patchedTheirs = scimPatchRun(user);
if (canonical(patchedOurs) !== canonical(patchedTheirs))
  throw new Error(
    `applyPatch and scim-patch disagree:\n${canonical(patchedOurs)}\n${canonical(patchedTheirs)}`,
  );
if (
  patchedOurs.name.givenName !== "Barb" ||
  patchedOurs.emails.length !== 2 ||
  patchedOurs.emails.some((e) => e.type === "home")
)
  throw new Error("the PATCH did not apply");
const inPlace = scimPatch(structuredClone(user), PATCH_REQUEST.Operations);
if (canonical(inPlace) !== canonical(patchedOurs)) throw new Error("scim-patch in place differs");

// BENCH_PATCH_BEFORE=path/to/an/older/build/index.js adds that build's applyPatch as a row of the PATCH
// table, measured in the same interleaved rounds (before → after in one run; BENCHMARKS.md, issue 16).
const BEFORE = process.env.BENCH_PATCH_BEFORE;
const applyPatchBefore = BEFORE
  ? (await import(new URL(BEFORE, `file://${process.cwd()}/`).href)).applyPatch
  : undefined;
if (applyPatchBefore && canonical(applyPatchBefore(user, PATCH_REQUEST)) !== canonical(patchedOurs))
  throw new Error("the earlier build's applyPatch gives another result");

// ---------------------------------------------------------------------------------------------- run
const lines = [
  `Peers: SCIMMY ${versionOf("scimmy")}, scim-patch ${versionOf("scim-patch")}; tinybench ${versionOf("tinybench")}.`,
  "",
];

const validation = await measure({
  scimkit: () => {
    last = validateResource("User", user, { operation: "create" });
  },
  scimmy: () => {
    last = new SCIMMY.Schemas.User(user, "in");
  },
  coerce: () => {
    last = scimmyDefinition.coerce(user, "in");
  },
});
lines.push(
  "### Validating the RFC 7643 §8.3 enterprise User (one op = one create body)",
  "",
  "| validator | ops/s | µs/op | scimkit is |",
  "| --- | ---: | ---: | ---: |",
  `| scimkit \`validateResource("User", body, { operation: "create" })\` | ${fmt(validation.scimkit)} | ${(1e6 / validation.scimkit).toFixed(1)} | |`,
  `| SCIMMY \`new SCIMMY.Schemas.User(body, "in")\` | ${fmt(validation.scimmy)} | ${(1e6 / validation.scimmy).toFixed(1)} | **${faster(validation.scimkit, validation.scimmy)}** (target ≥ 20×) |`,
  `| SCIMMY \`User.schema.definition.coerce(body, "in")\` (the coercion alone, no instance) | ${fmt(validation.coerce)} | ${(1e6 / validation.coerce).toFixed(1)} | ${faster(validation.scimkit, validation.coerce)} |`,
  "",
);

const patch = await measure({
  scimkit: () => {
    last = applyPatch(user, PATCH_REQUEST);
  },
  ...(applyPatchBefore && {
    before: () => {
      last = applyPatchBefore(user, PATCH_REQUEST);
    },
  }),
  scimPatch: () => {
    last = scimPatchRun(user);
  },
  inPlace: () => {
    last = scimPatch(structuredClone(user), PATCH_REQUEST.Operations);
  },
  clone: () => {
    last = structuredClone(user);
  },
  json: () => {
    last = JSON.parse(JSON.stringify(user));
  },
});
lines.push(
  "### A 3-operation PATCH of the same user, input never mutated (one op = one request)",
  "",
  'Operations: `replace name.givenName`, `add emails` (one value), `remove emails[type eq "home"]`.',
  "",
  "| engine | ops/s | µs/op | scimkit is |",
  "| --- | ---: | ---: | ---: |",
  `| scimkit \`applyPatch(user, request)\` (pure, copy-on-write) | ${fmt(patch.scimkit)} | ${(1e6 / patch.scimkit).toFixed(2)} | |`,
  ...(applyPatchBefore
    ? [
        `| scimkit before (\`BENCH_PATCH_BEFORE\`) | ${fmt(patch.before)} | ${(1e6 / patch.before).toFixed(2)} | ${faster(patch.scimkit, patch.before)} |`,
      ]
    : []),
  `| scim-patch \`patchBodyValidation\` + \`scimPatch(user, ops, { mutateDocument: false })\` | ${fmt(patch.scimPatch)} | ${(1e6 / patch.scimPatch).toFixed(1)} | **${faster(patch.scimkit, patch.scimPatch)}** (target ≥ 10×, issue 16)${applyPatchBefore ? `; before: ${faster(patch.before, patch.scimPatch)}` : ""} |`,
  `| scim-patch in place on \`structuredClone(user)\` (clone timed) | ${fmt(patch.inPlace)} | ${(1e6 / patch.inPlace).toFixed(1)} | ${faster(patch.scimkit, patch.inPlace)} |`,
  `| \`structuredClone(user)\` alone (reference) | ${fmt(patch.clone)} | ${(1e6 / patch.clone).toFixed(1)} | |`,
  `| \`JSON.parse(JSON.stringify(user))\` alone (scim-patch's copy; reference) | ${fmt(patch.json)} | ${(1e6 / patch.json).toFixed(1)} | |`,
  "",
);

if (JSON.stringify(user) !== snapshot) throw new Error("a benchmark mutated the user");
lines.push(machineLine());
console.log(lines.join("\n"));
if (last === 42) console.log("");
