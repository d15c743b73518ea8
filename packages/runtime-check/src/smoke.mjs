// The runtime smoke program: the public @scimkit/client API against a live SCIM server, in whatever
// runtime imports it. Plain ESM with no host API: the files in ./hosts give it a base URL and report its
// result (command line for Node, Bun and Deno; a fetch handler for workerd; a page for Chromium).
import { createScimClient, isScimError } from "@scimkit/client";
import { filterBuilder, stringifyFilter } from "@scimkit/filter";

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";

/**
 * @typedef {{ ok: true; runtime: string; steps: string[]; ms: number }
 *   | { ok: false; runtime: string; steps: string[]; failedStep: string; error: string }} SmokeResult
 */

/**
 * Creates, reads, lists (filter string and filterBuilder), patches, iterates and deletes users, then
 * checks that a 404 rejects with a ScimError. Never throws: failures are reported in the result.
 *
 * @param {{ baseUrl: string; token: string; runtime: string }} options
 * @returns {Promise<SmokeResult>}
 */
export async function runSmoke({ baseUrl, token, runtime }) {
  const started = Date.now();
  /** @type {string[]} */
  const steps = [];
  let current = "createScimClient";
  /**
   * @template T
   * @param {string} name
   * @param {() => Promise<T>} body
   * @returns {Promise<T>}
   */
  const step = async (name, body) => {
    current = name;
    const value = await body();
    steps.push(name);
    return value;
  };
  try {
    const scim = createScimClient({ baseUrl, token, retry: false, timeout: 15_000 });
    // Unique per run, so runtimes sharing one server never see each other's users.
    const prefix = `${runtime.split(" ")[0]}-${Math.random().toString(36).slice(2, 10)}`;
    const f = filterBuilder();

    const alice = await step("create", async () => {
      const created = await scim.users.create({
        schemas: [USER],
        userName: `${prefix}.alice`,
        name: { givenName: "Alice", familyName: "Smith" },
        emails: [{ value: `${prefix}.alice@example.com`, type: "work", primary: true }],
        active: true,
      });
      check(typeof created.id === "string" && created.id.length > 0, "created user has no id");
      check(created.userName === `${prefix}.alice`, `created userName is ${created.userName}`);
      return created;
    });
    const aliceId = /** @type {string} */ (alice.id);
    const bob = await step("create second", () =>
      scim.users.create({
        schemas: [USER],
        userName: `${prefix}.bob`,
        name: { givenName: "Bob" },
        active: true,
      }),
    );
    const bobId = /** @type {string} */ (bob.id);

    await step("get", async () => {
      const got = await scim.users.get(aliceId);
      check(got.id === aliceId, `get returned id ${got.id}`);
      check(got.name?.givenName === "Alice", "get lost name.givenName");
      check(got.emails?.[0]?.value === `${prefix}.alice@example.com`, "get lost emails");
      check(typeof got.meta?.version === "string", "get returned no meta.version");
    });

    await step("list with a filter string", async () => {
      const page = await scim.users.list({ filter: `userName sw "${prefix}."`, count: 10 });
      check(page.totalResults === 2, `totalResults ${page.totalResults}, expected 2`);
      const names = page.Resources.map((u) => u.userName).sort();
      check(same(names, [`${prefix}.alice`, `${prefix}.bob`]), `listed ${names.join(", ")}`);
    });

    await step("list with filterBuilder", async () => {
      const filter = stringifyFilter(f.and(f.sw("userName", `${prefix}.`), f.eq("name.givenName", "Bob")));
      const page = await scim.users.list({ filter });
      check(page.totalResults === 1 && page.Resources[0]?.id === bobId, `${filter} did not find only Bob`);
    });

    await step("patch", async () => {
      const patched = await scim.users.patch(aliceId, [
        { op: "replace", path: "active", value: false },
        { op: "add", path: "nickName", value: "Ali" },
      ]);
      check(patched.active === false && patched.nickName === "Ali", "patch did not apply");
      const filter = stringifyFilter(f.and(f.sw("userName", `${prefix}.`), f.eq("active", false)));
      const page = await scim.users.list({ filter });
      check(
        page.totalResults === 1 && page.Resources[0]?.id === aliceId,
        `${filter} did not find only Alice`,
      );
    });

    await step("iterate", async () => {
      const names = [];
      for await (const user of scim.users.iterate({ filter: `userName sw "${prefix}."`, count: 1 })) {
        names.push(user.userName);
      }
      names.sort();
      check(same(names, [`${prefix}.alice`, `${prefix}.bob`]), `iterated ${names.join(", ")}`);
    });

    await step("delete", async () => {
      await scim.users.delete(aliceId);
      await scim.users.delete(bobId);
      const page = await scim.users.list({ filter: `userName sw "${prefix}."` });
      check(page.totalResults === 0, `${page.totalResults} users left after delete`);
    });

    await step("404 is a ScimError", async () => {
      const error = await scim.users.get(aliceId).then(
        () => undefined,
        (/** @type {unknown} */ e) => e,
      );
      check(error !== undefined, "get of a deleted user resolved");
      check(isScimError(error), `get of a deleted user rejected with ${describe(error)}, not a ScimError`);
      check(/** @type {{ status: number }} */ (error).status === 404, `status ${describe(error)}`);
    });

    return { ok: true, runtime, steps, ms: Date.now() - started };
  } catch (error) {
    return { ok: false, runtime, steps, failedStep: current, error: describe(error) };
  }
}

/**
 * @param {unknown} condition
 * @param {string} message
 * @returns {asserts condition}
 */
function check(condition, message) {
  if (!condition) throw new Error(message);
}

/** @param {unknown[]} a @param {unknown[]} b */
function same(a, b) {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

/**
 * @param {unknown} error
 * @returns {string}
 */
function describe(error) {
  if (isScimError(error))
    return `ScimError ${error.status}${error.scimType ? ` ${error.scimType}` : ""}: ${error.message}`;
  if (error instanceof Error)
    return `${error.name}: ${error.message}${error.cause ? ` (cause: ${describe(error.cause)})` : ""}`;
  return String(error);
}
