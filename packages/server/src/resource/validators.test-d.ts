import type { Group, GroupInput, GroupPatch, User, UserInput, UserPatch } from "@scimkit/models";
import { describe, expectTypeOf, it } from "vitest";
import type * as z from "zod";
import type {
  GroupInputSchema,
  GroupSchema,
  UserInputSchema,
  UserPatchSchema,
  UserSchema,
  validators,
} from "../generated/index.js";

describe("generated zod validators infer exactly the generated model types", () => {
  it("User views", () => {
    expectTypeOf<z.infer<typeof UserSchema>>().toEqualTypeOf<User>();
    expectTypeOf<z.infer<typeof UserInputSchema>>().toEqualTypeOf<UserInput>();
    expectTypeOf<z.infer<typeof UserPatchSchema>>().toEqualTypeOf<UserPatch>();
  });
  it("Group views", () => {
    expectTypeOf<z.infer<typeof GroupSchema>>().toEqualTypeOf<Group>();
    expectTypeOf<z.infer<typeof GroupInputSchema>>().toEqualTypeOf<GroupInput>();
    expectTypeOf<z.infer<typeof validators.Group.patch>>().toEqualTypeOf<GroupPatch>();
  });
});
