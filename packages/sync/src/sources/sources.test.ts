/// <reference types="node" />
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bundle } from "@scimkit/models";
import { describe, expect, it } from "vitest";
import { isSyncUsageError } from "../errors.js";
import { UserSchema } from "../schema/user-schema.js";
import type { SourceItem, SyncSource } from "../types.js";
import { csvSource } from "./csv.js";
import { sourceFrom } from "./from.js";
import { jsonSource } from "./json.js";
import { jsonArrayElements } from "./json-scan.js";

const schema = UserSchema.from(bundle.schemas, bundle.resourceTypes);

async function read(source: SyncSource, limit = Number.POSITIVE_INFINITY): Promise<SourceItem[]> {
  const out: SourceItem[] = [];
  for await (const item of source.open({ schema })) {
    out.push(item);
    if (out.length >= limit) break;
  }
  return out;
}

async function* generated(rows: number, perChunk: number): AsyncIterable<string> {
  yield "userName,active\n";
  for (let i = 0; i < rows; i += perChunk)
    yield Array.from({ length: Math.min(perChunk, rows - i) }, (_, j) => `user${i + j},true\n`).join("");
}

describe("jsonArrayElements", () => {
  it.each([
    [
      "split anywhere",
      ['[{"a":"x,]}"},', ' {"b":[1,2', ",{}]}, 3 ", "]"],
      ['{"a":"x,]}"}', '{"b":[1,2,{}]}', "3 "],
    ],
    ["escaped quotes", ['[ "a\\"]", "b" ]'], ['"a\\"]"', '"b" ']],
    ["empty", [" [ ] "], []],
  ])("%s", async (_name, chunks, want) => {
    const got: string[] = [];
    for await (const e of jsonArrayElements(chunks)) got.push(e.text);
    expect(got).toEqual(want);
  });

  it.each([
    ["not an array", ['{"userName":"x"}'], /expected a JSON array/],
    ["truncated", ['[{"a":1},{"b"'], /not closed/],
    ["trailing data", ["[1] 2"], /after the array/],
    ["empty text", ["  "], /empty/],
  ])("%s is an error", async (_name, chunks, message) => {
    const run = async () => {
      for await (const _ of jsonArrayElements(chunks));
    };
    await expect(run()).rejects.toThrow(message);
  });
});

describe("file sources", () => {
  it("stop reading when the consumer stops (no hang on a half-read stream)", async () => {
    const items = await read(csvSource(generated(200_000, 500)), 10);
    expect(items.map((i) => i.row)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it("streams a file picked by its extension, CSV and NDJSON, with row numbers", async () => {
    const dir = await mkdtemp(join(tmpdir(), "sync-sources-"));
    await writeFile(join(dir, "u.csv"), "\ufeffuserName,active\nann,true\nbob,maybe\n");
    await writeFile(join(dir, "u.ndjson"), '{"userName":"ann"}\n\nnot json\n{"userNme":"x"}\n');
    const csv = await read(sourceFrom(join(dir, "u.csv")));
    expect(csv).toMatchObject([
      {
        kind: "user",
        row: 2,
        assignments: [
          { attribute: "userName", value: "ann" },
          { attribute: "active", value: true },
        ],
      },
      {
        kind: "error",
        row: 3,
        failure: { detail: 'row 3, column "active": "maybe" is not a boolean (true or false)' },
      },
    ]);
    const nd = await read(sourceFrom(join(dir, "u.ndjson")));
    expect(nd.map((i) => (i.kind === "user" ? `${i.row} ok` : `${i.row} ${i.failure.detail}`))).toEqual([
      "1 ok",
      expect.stringMatching(/^3 line 3: not valid JSON/),
      '4 row 4: the target\'s User has no attribute "userNme"; did you mean "userName"?',
    ]);
    expect(() => sourceFrom("users.xlsx")).toThrow(/give a .csv, .json, .ndjson file/);
  });

  it("a file that cannot be read is a usage error naming it", async () => {
    for (const source of [csvSource("/nonexistent/u.csv"), jsonSource("/nonexistent/u.json")]) {
      const error = await read(source).catch((e) => e);
      expect(isSyncUsageError(error)).toBe(true);
      expect(error.message).toMatch(/\/nonexistent\/u\.(csv|json).*ENOENT/);
    }
  });

  it("a JSON file that is not an array is a usage error", async () => {
    const error = await read(jsonSource(['{"userName":"x"}'], { format: "json" })).catch((e) => e);
    expect(isSyncUsageError(error)).toBe(true);
  });
});
