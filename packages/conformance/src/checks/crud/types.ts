import { type ResourceTypeDef, resourceTypesOf } from "../../schema/model.js";
import type { CheckContext } from "../../types.js";
import { GROUP, resourceTypeFor, USER } from "../bodies.js";

/** Every resource type discovery describes other than User and Group (RFC 7643 §6). */
export async function customTypes(ctx: CheckContext): Promise<ResourceTypeDef[]> {
  return resourceTypesOf(await ctx.discovery()).filter((t) => t.name !== "User" && t.name !== "Group");
}

/** Every resource type to test: User and Group (from discovery or their RFC 7643 §4 basics), then the rest. */
export async function allTypes(ctx: CheckContext): Promise<ResourceTypeDef[]> {
  const core: ResourceTypeDef[] = [];
  for (const type of [USER, GROUP]) {
    const def = await resourceTypeFor(ctx, type);
    if ("schema" in def) core.push(def);
  }
  return [...core, ...(await customTypes(ctx))];
}
