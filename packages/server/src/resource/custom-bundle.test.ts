// A team's own schemas (schemas/examples: the Device resource type and the Acme User extension),
// generated into __fixtures__/acme by this package's `generate` script (`--emit data,zod`).
import { describe, expect, it } from "vitest";
import { bundle, validators } from "../__fixtures__/acme/index.js";
import { type Json, patchOf, thrown } from "../__fixtures__/index.js";
import { applyPatch } from "./patch/apply-patch.js";
import { projectResource } from "./projection.js";
import { validateResource } from "./validate.js";

const DEVICE = "urn:acme:params:scim:schemas:core:2.0:Device";
const ACME = "urn:acme:params:scim:schemas:extension:2.0:User";
const options = { bundle, validators } as const;

const device = {
  schemas: [DEVICE],
  id: "d1",
  displayName: "Laptop",
  serialNumber: "SN-1",
  enrolledAt: "2024-01-01T00:00:00Z",
  meta: { resourceType: "Device" },
};

describe("validateResource with a generated bundle", () => {
  it("validates a Device and drops readOnly input", () => {
    expect(validateResource("Device", device, { operation: "create", ...options })).toEqual({
      schemas: [DEVICE],
      displayName: "Laptop",
      serialNumber: "SN-1",
    });
  });
  it("finds the resource type by its endpoint", () => {
    expect(validateResource("/Devices", device, { operation: "create", ...options })).toMatchObject({
      serialNumber: "SN-1",
    });
  });
  it("requires the Device's required attributes, naming them", () => {
    expect(
      thrown(() => validateResource("Device", { displayName: "x" }, { operation: "create", ...options })),
    ).toMatchObject({
      status: 400,
      scimType: "invalidValue",
      detail: expect.stringContaining("serialNumber"),
    });
  });
  it("an immutable attribute may be sent again unchanged but not changed on replace (RFC 7644 §3.5.1)", () => {
    const existing = { ...device };
    expect(
      validateResource(
        "Device",
        { ...device, displayName: "New" },
        { operation: "replace", existing, ...options },
      ),
    ).toMatchObject({ displayName: "New", serialNumber: "SN-1" });
    expect(
      thrown(() =>
        validateResource(
          "Device",
          { ...device, serialNumber: "SN-2" },
          { operation: "replace", existing, ...options },
        ),
      ),
    ).toMatchObject({ status: 400, scimType: "mutability", detail: expect.stringContaining("serialNumber") });
  });
  it("validates the Acme extension's types", () => {
    const body = { userName: "b", [ACME]: { clearanceLevel: "3", remote: "True", skills: "ts" } };
    expect((validateResource("User", body, { operation: "create", ...options }) as Json)[ACME]).toEqual({
      clearanceLevel: 3,
      remote: true,
      skills: ["ts"],
    });
    expect(
      thrown(() => validateResource("User", body, { operation: "create", strict: true, ...options })),
    ).toMatchObject({ status: 400, scimType: "invalidValue" });
  });
  it("a resource type without validators is a programming error (TypeError), not a 400", () => {
    // @ts-expect-error the types see it too: without validators, the core ones have no Device
    expect(() => validateResource("Device", device, { operation: "create", bundle })).toThrow(TypeError);
  });
});

describe("applyPatch with a generated bundle", () => {
  it("rejects changing an immutable attribute, accepts setting it again unchanged", () => {
    expect(
      thrown(() =>
        applyPatch(device, patchOf({ op: "replace", path: "serialNumber", value: "SN-2" }), {
          resourceType: "Device",
          ...options,
        }),
      ),
    ).toMatchObject({ status: 400, scimType: "mutability" });
    expect(
      applyPatch(device, patchOf({ op: "replace", path: "serialNumber", value: "SN-1" }), options),
    ).toEqual(device);
  });
  it("adds an immutable attribute that had no value (RFC 7644 §3.5.2)", () => {
    const { serialNumber: _serialNumber, ...without } = device;
    expect(applyPatch(without, patchOf({ op: "add", path: "serialNumber", value: "SN-9" }), options)).toEqual(
      {
        ...device,
        serialNumber: "SN-9",
      },
    );
  });
  it("adds an Acme extension attribute and lists the extension in schemas", () => {
    const user = { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], id: "u", userName: "b" };
    const result: Json = applyPatch(
      user,
      patchOf({ op: "add", path: `${ACME}:skills`, value: ["go"] }),
      options,
    );
    expect(result).toEqual({ ...user, schemas: [...user.schemas, ACME], [ACME]: { skills: ["go"] } });
  });
});

describe("projectResource with a generated bundle", () => {
  it("never returns a writeOnly / returned-never sub-attribute (Acme apiKeys.value)", () => {
    const user = {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", ACME],
      id: "u",
      userName: "b",
      [ACME]: { apiKeys: [{ value: "secret", type: "ci" }] },
    };
    for (const attributes of [undefined, `${ACME}:apiKeys`, `${ACME}:apiKeys.value`, ACME]) {
      const projected: Json = projectResource(user, { ...options, ...(attributes && { attributes }) });
      expect(JSON.stringify(projected)).not.toContain("secret");
    }
  });
});
