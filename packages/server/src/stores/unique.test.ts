import { coreBundle, isScimError, SchemaRegistry } from "@scimkit/core";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryStore } from "./memory-store.js";
import { PostgresStore } from "./postgres.js";
import type { ScimStore, StoreScope } from "./store.js";
import { uniqueValues } from "./store.js";
import { foldUnique } from "./unique.js";

describe("foldUnique (RFC 8265 §3.3 UsernameCaseMapped as the model)", () => {
  it.each([
    ["NFD to NFC", "Jose\u0301", "jos\u00e9"],
    ["sharp s", "Stra\u00dfe", "strasse"],
    ["capital sharp s", "STRA\u1e9eE", "strasse"],
    ["full-width letters and digits", "\uff22\uff2a\uff45\uff4e\uff53\uff45\uff4e\uff11", "bjensen1"],
    ["ideographic space", "a\u3000b", "a b"],
    ["half-width katakana with a voiced mark", "\uff76\uff9e", "\u30ac"],
    // JavaScript's lower case picks the final form at the end of a word; every spelling lands there.
    ["final sigma", "\u039f\u0394\u039f\u03a3", "\u03bf\u03b4\u03bf\u03c2"],
    ["medial sigma at the end", "\u03bf\u03b4\u03bf\u03c3", "\u03bf\u03b4\u03bf\u03c2"],
    ["Kelvin sign", "\u212a", "k"],
    ["the fi ligature folds as CaseFolding.txt says", "\ufb01", "fi"],
    ["superscripts stay (width mapping only, no full NFKC)", "x\u00b2", "x\u00b2"],
    ["circled letters fold case but stay circled", "\u24b6", "\u24d0"],
  ])("%s", (_, input, folded) => {
    expect(foldUnique(input)).toBe(folded);
  });

  it("is idempotent: fold(fold(x)) === fold(x)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (text) => foldUnique(foldUnique(text)) === foldUnique(text)),
      { numRuns: 5000 },
    );
    fc.assert(
      fc.property(
        fc.string({ unit: "grapheme-composite" }),
        (text) => foldUnique(foldUnique(text)) === foldUnique(text),
      ),
      { numRuns: 2000 },
    );
  });

  it("agrees with lower case on ASCII, and maps every case variant of a string to one key", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (text) => {
        const key = foldUnique(text);
        return foldUnique(text.toUpperCase()) === key && foldUnique(text.toLowerCase()) === key;
      }),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(..."aZ09_.-@Q") }),
        (text) => foldUnique(text) === text.toLowerCase(),
      ),
    );
  });
});

const registry = new SchemaRegistry(coreBundle());

describe.each([
  ["MemoryStore", async () => new MemoryStore()],
  ["PostgresStore on PGlite", () => PostgresStore.open({ memory: true })],
] as const)("uniqueness on %s never fails with anything but a ScimError", (_, open) => {
  let store: ScimStore;
  beforeAll(async () => {
    store = await open();
  }, 60_000);
  afterAll(async () => store.close?.());

  it("creates, renames and deletes arbitrary userNames: success, 409 or 400 — never another error", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ unit: "binary", maxLength: 8 }), { minLength: 1, maxLength: 6 }),
        async (names) => {
          const scope: StoreScope = { tenant: `p-${Math.random()}`, resourceType: "User", registry };
          const ids: string[] = [];
          for (const userName of names) {
            const data = { userName };
            try {
              ids.push((await store.create(scope, data, uniqueValues(registry, "User", data))).id);
            } catch (error) {
              if (!isScimError(error) || ![400, 409].includes(error.status)) throw error;
            }
          }
          for (const [i, id] of ids.entries()) {
            const data = { userName: names[(i + 1) % names.length] as string };
            await store
              .update(scope, id, () => ({ data, unique: uniqueValues(registry, "User", data) }))
              .catch((error: unknown) => {
                if (!isScimError(error) || ![400, 409].includes(error.status)) throw error;
              });
          }
          // Uniqueness holds after folding: no two stored userNames fold alike.
          const stored = (await store.query(scope, { count: 100 })).resources.map((r) =>
            foldUnique(r.data.userName as string),
          );
          expect(new Set(stored).size).toBe(stored.length);
          for (const id of ids) await store.delete(scope, id);
        },
      ),
      { numRuns: 60 },
    );
  }, 120_000);
});
