import { pass, skip } from "../../outcome.js";
import type { CheckContext, CheckOutcome } from "../../types.js";
import { isOutcome, type Population, population } from "./population.js";
import { type AttributeInfo, type UserSchema, userSchema } from "./schema.js";

/** What a population-based check body gets: the run, the Users to query and the server's User schema. */
export type QueryBody = (
  ctx: CheckContext,
  pop: Population,
  schema: UserSchema,
) => Promise<CheckOutcome | undefined>;

/**
 * A check body that first makes sure the shared Users exist and the server's User schema defines every
 * attribute in `paths` (with the given type when one is named); undefined from the body means passed.
 */
export function withPopulation(
  paths: readonly (readonly [path: string, type?: string])[],
  body: QueryBody,
): (ctx: CheckContext) => Promise<CheckOutcome> {
  return async (ctx) => {
    const schema = await userSchema(ctx);
    for (const [path, type] of paths) {
      const missing = lacks(schema.attribute(path), type);
      if (missing)
        return skip(`the server's User schema ${missing} "${path}"${type ? ` of type ${type}` : ""}`);
    }
    const pop = await population(ctx);
    if (isOutcome(pop)) return pop;
    return (await body(ctx, pop, schema)) ?? pass();
  };
}

function lacks(info: AttributeInfo | undefined, type: string | undefined): string | undefined {
  if (info === undefined) return "defines no attribute";
  if (type !== undefined && info.type.toLowerCase() !== type.toLowerCase()) return "has no attribute";
  return undefined;
}
