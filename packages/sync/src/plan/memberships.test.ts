import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import type { PlannedAction } from "../types.js";
import { MEMBER_CHUNK, MembershipPlanner } from "./memberships.js";
import type { TargetIndex } from "./target-index.js";

const GROUPS = ["Sales", "Engineering", "Support", "Finance"];

function targetWith(groups: readonly string[]): TargetIndex {
  return {
    users: new Map(),
    groups: new Map(
      groups.map((g, i) => [
        g.toLowerCase(),
        { ref: { displayName: g, id: `g${i.toFixed(0)}` }, members: new Set<string>() },
      ]),
    ),
    memberOf: new Map(),
    inScope: undefined,
    userCount: 0,
  };
}

/** Rows `from`..`to` of new users, one group each in turn; returns the members actions made. */
function feed(
  planner: MembershipPlanner,
  from: number,
  to: number,
  groups: readonly string[] = GROUPS,
): PlannedAction[] {
  const out: PlannedAction[] = [];
  for (let n = from; n < to; n++)
    // toFixed: String(n) would keep each key alive in V8's number-to-string cache (see cli/summary.ts)
    for (const action of planner.user(`new-${n.toFixed(0)}`, undefined, [groups[n % groups.length] ?? ""]))
      out.push(action);
  return out;
}

describe("MembershipPlanner", () => {
  it("sends each group's new members in chunks of MEMBER_CHUNK, every key once, in row order", () => {
    const planner = new MembershipPlanner(targetWith(GROUPS));
    const rows = 4 * MEMBER_CHUNK + 10;
    const actions = [...feed(planner, 0, rows), ...planner.finish()];
    const members = actions.filter((a) => a.kind === "members");
    expect(members.map((a) => [a.group.displayName, a.add.length])).toEqual([
      ["Sales", 1000],
      ["Engineering", 1000],
      ["Support", 1000],
      ["Finance", 1000],
      ["Sales", 3],
      ["Engineering", 3],
      ["Support", 2],
      ["Finance", 2],
    ]);
    const sales = members.filter((a) => a.group.displayName === "Sales").flatMap((a) => a.add);
    expect(sales.slice(0, 3)).toEqual([
      { key: "new-0", id: undefined },
      { key: "new-4", id: undefined },
      { key: "new-8", id: undefined },
    ]);
    expect(new Set(actions.flatMap((a) => (a.kind === "members" ? a.add.map((x) => x.key) : []))).size).toBe(
      rows,
    );
  });

  it("holds at most a chunk per group, however many rows went through", () => {
    const planner = new MembershipPlanner(targetWith(GROUPS));
    let fed = 0;
    for (const rows of [10_000, 50_010, 200_020]) {
      feed(planner, fed, rows);
      fed = rows;
      const held = planner.footprint();
      expect(held.groups).toBe(GROUPS.length);
      expect(held.keys).toBeLessThanOrEqual(GROUPS.length * MEMBER_CHUNK);
    }
  });

  it("keeps no heap object per pending new member (what made a million-row dry run grow)", () => {
    // A { key, id } object and the key string per pending member (~90 bytes) lived until the group's
    // chunk was full and were promoted by the young-generation collector (README "Memory").
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    // 40 groups, so that ~40,000 members are pending and the collector's noise (~±200 KB) is small
    const groups = Array.from({ length: 40 }, (_, i) => `Group ${i.toFixed(0)}`);
    const planner = new MembershipPlanner(targetWith(groups));
    // two full chunks per group first: the stores reach their size and the code is warm
    feed(planner, 0, 2 * groups.length * MEMBER_CHUNK, groups);
    const pending = groups.length * (MEMBER_CHUNK - 1);
    gc();
    gc();
    const before = process.memoryUsage().heapUsed;
    const flushed = feed(planner, 10_000_000, 10_000_000 + pending, groups);
    gc();
    gc();
    const perMember = (process.memoryUsage().heapUsed - before) / pending;
    expect(flushed).toEqual([]);
    expect(planner.footprint().keys).toBe(pending);
    expect(perMember).toBeLessThan(12);
  });
});
