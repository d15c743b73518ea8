import type { Check, CheckOutcome } from "../types.js";
import { type CoreType, GROUP, resourceTypeFor, USER } from "./bodies.js";
import { type Behaviour, onEach, type TypeKey } from "./crud/behaviour.js";
import { contractChecks } from "./crud/contract.js";
import { createBehaviours } from "./crud/create.js";
import { lifecycleBehaviours } from "./crud/lifecycle.js";
import { immutableRefused, uniquenessEnforced } from "./crud/rules.js";
import { allTypes, customTypes } from "./crud/types.js";

const BEHAVIOURS: readonly Behaviour[] = [...createBehaviours, ...lifecycleBehaviours];
const CORE: Readonly<Record<"user" | "group", CoreType>> = { user: USER, group: GROUP };
const NO_CUSTOM = "no resource type besides User and Group is advertised";

function checkOf(behaviour: Behaviour, key: TypeKey): Check {
  const base = {
    id: `crud.${key}.${behaviour.name}`,
    requirement: behaviour.requirement,
    level: behaviour.level,
    profile: "rfc",
    writes: true,
    ...(behaviour.requires ? { requires: behaviour.requires } : {}),
  } as const;
  if (key === "custom") {
    return {
      ...base,
      title: `${behaviour.title("resource", "/{endpoint}")}, for every resource type besides User and Group`,
      run: async (ctx) =>
        onEach(await customTypes(ctx), NO_CUSTOM, (type) =>
          behaviour.run(ctx, type, `${type.name.toLowerCase()}-${behaviour.name}`),
        ),
    };
  }
  const core = CORE[key];
  return {
    ...base,
    title: behaviour.title(core.name, `/${core.name}s`),
    async run(ctx): Promise<CheckOutcome> {
      const type = await resourceTypeFor(ctx, core);
      if (!("schema" in type)) return type;
      return behaviour.run(ctx, type, `${key}-${behaviour.name}`);
    },
  };
}

/**
 * CRUD on every resource type the server advertises (RFC 7644 §3.3–§3.6), with bodies generated from its
 * /Schemas that set every writable attribute. Ids are static: `crud.user.*` and `crud.group.*` for the
 * core types, `crud.custom.*` running each behaviour on every other advertised type (the failure names
 * the type; skipped when there is none), and `crud.immutable` / `crud.uniqueness` on every type whose
 * schema has such an attribute.
 */
export const crudChecks: readonly Check[] = [
  ...(["user", "group", "custom"] as const).flatMap((key) =>
    BEHAVIOURS.filter((b) => b.keys.includes(key)).map((b) => checkOf(b, key)),
  ),
  {
    id: "crud.immutable",
    title:
      "PUT changing an immutable attribute answers 400 mutability and changes nothing, on every resource type",
    requirement: "RFC 7644 §3.5.1; RFC 7644 §3.12; RFC 7643 §7",
    level: "MUST",
    profile: "rfc",
    writes: true,
    run: async (ctx) =>
      onEach(await allTypes(ctx), "no resource type is advertised", (type) =>
        immutableRefused(ctx, type, `${type.name.toLowerCase()}-immutable`),
      ),
  },
  {
    id: "crud.uniqueness",
    title:
      "Creating a duplicate of a unique attribute (userName in other case …) answers 409 uniqueness, on every resource type",
    requirement: "RFC 7644 §3.3; RFC 7643 §7",
    level: "MUST",
    profile: "rfc",
    writes: true,
    run: async (ctx) =>
      onEach(await allTypes(ctx), "no resource type is advertised", (type) =>
        uniquenessEnforced(ctx, type, `${type.name.toLowerCase()}-unique`),
      ),
  },
  ...contractChecks,
];
