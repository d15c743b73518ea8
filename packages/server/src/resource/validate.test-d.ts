import type { Group, GroupInput, User, UserInput } from "@scimkit/models";
import { describe, expectTypeOf, it } from "vitest";
import type * as z from "zod";
import { bundle, validators } from "../__fixtures__/acme/index.js";
import type {
  UserInputSchema as AcmeUserInputSchema,
  DeviceInputSchema,
} from "../__fixtures__/acme/zod.gen.js";
import { validateResource } from "./validate.js";

describe("validateResource is typed by the bundle's resource types (issue 11)", () => {
  it("core names return their input view: UserInput, GroupInput (id and meta are the server's)", () => {
    expectTypeOf(validateResource("User", {}, { operation: "create" })).toEqualTypeOf<UserInput>();
    expectTypeOf(
      validateResource("Group", {}, { operation: "replace", strict: true }),
    ).toEqualTypeOf<GroupInput>();
    expectTypeOf(validateResource("/Users", {}, { operation: "create" })).toEqualTypeOf<UserInput>();
    expectTypeOf<UserInput>().toMatchTypeOf<Omit<User, "id" | "meta" | "groups">>();
    expectTypeOf<GroupInput>().toMatchTypeOf<Omit<Group, "id" | "meta">>();
  });

  it("a name the bundle does not have does not compile", () => {
    // @ts-expect-error "Usr" is not a resource type of the core bundle
    validateResource("Usr", {}, { operation: "create" });
    // @ts-expect-error names are typed as generated: the run-time lookup is case-insensitive, the types are not
    validateResource("user", {}, { operation: "create" });
    // @ts-expect-error Device is not in the core bundle
    validateResource("Device", {}, { operation: "create" });
    // @ts-expect-error the operation is required (DESIGN.md contract)
    validateResource("User", {}, {});
  });

  it("a generated bundle types its own resource types, by name or endpoint", () => {
    const options = { operation: "create", bundle, validators } as const;
    expectTypeOf(validateResource("Device", {}, options)).toEqualTypeOf<z.output<typeof DeviceInputSchema>>();
    expectTypeOf(validateResource("/Devices", {}, options)).toEqualTypeOf<
      z.output<typeof DeviceInputSchema>
    >();
    expectTypeOf(validateResource("User", {}, options)).toEqualTypeOf<z.output<typeof AcmeUserInputSchema>>();
    expectTypeOf(validateResource("Device", {}, options).serialNumber).toEqualTypeOf<string>();
    // @ts-expect-error Group is not in the Acme bundle
    validateResource("Group", {}, options);
  });

  it("a resource type held in a string is checked at run time and typed loosely", () => {
    const name: string = "User";
    expectTypeOf(validateResource(name, {}, { operation: "create" })).toEqualTypeOf<
      Record<string, unknown>
    >();
  });
});
