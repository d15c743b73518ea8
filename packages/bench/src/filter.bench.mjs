// Filter benchmarks (issues 3 and 16): scimkit vs scim2-parse-filter vs hand-written JavaScript, side by side in
// one process, against the BUILT packages. Build first: (cd ../core && npx tsc -p tsconfig.build.json) and
// (cd ../filter && npx tsc -p tsconfig.build.json), or `pnpm build` at the root.
import { filter as peerFilter, parse as peerParse } from "scim2-parse-filter";
import { fmt, machineLine, measure, ratio } from "./harness.mjs";
import { RFC_FILTERS } from "./rfc-filters.mjs";

const scimkit = await import("@scimkit/filter").catch((error) => {
  console.error("Build @scimkit/core and @scimkit/filter first (see README.md):", error.message);
  process.exit(1);
});
const { compileFilter, parseFilter } = scimkit;
// FILTER_BEFORE=<path to another build's index.js> adds that build as a "before" column in the same run
// (BENCHMARKS.md's before → after figures), e.g. an earlier commit's src compiled with tsc.
const before = process.env.FILTER_BEFORE
  ? await import(new URL(process.env.FILTER_BEFORE, `file://${process.cwd()}/`).href)
  : undefined;

let sink = 0;

// ---------------------------------------------------------------------------------------------- users
/** Deterministic PRNG (mulberry32), so every run sees the same 10,000 users. */
function random(seed) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rnd = random(7644);
const domains = ["example.com", "example.org", "corp.test"];
const users = Array.from({ length: 10_000 }, (_, i) => {
  const domain = domains[Math.floor(rnd() * domains.length)];
  const modified = new Date(Date.UTC(2024, 0, 1) + Math.floor(rnd() * 365 * 86_400_000)).toISOString();
  return {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
    id: `id-${i}`,
    userName: `user${i}@${domain}`,
    name: { givenName: `Given${i}`, familyName: `Family${i % 100}` },
    displayName: `User ${i}`,
    active: rnd() < 0.7,
    title: rnd() < 0.5 ? "Engineer" : undefined,
    userType: i % 3 === 0 ? "Contractor" : "Employee",
    emails: [
      { type: rnd() < 0.8 ? "work" : "other", value: `user${i}@${domain}`, primary: true },
      { type: "home", value: `u${i}@home.example.net` },
    ],
    meta: { resourceType: "User", created: "2023-01-01T00:00:00Z", lastModified: modified },
  };
});

/** Each condition with the same meaning in all three forms (case-insensitive where caseExact is false). */
const CONDITIONS = [
  {
    name: "eq on userName",
    filter: 'userName eq "user5000@example.org"',
    hand: (u) => typeof u.userName === "string" && u.userName.toLowerCase() === "user5000@example.org",
  },
  {
    name: "value path and boolean",
    filter: 'emails[type eq "work" and value ew "@example.org"] and active eq true',
    hand: (u) =>
      Array.isArray(u.emails) &&
      u.emails.some(
        (e) =>
          typeof e?.type === "string" &&
          e.type.toLowerCase() === "work" &&
          typeof e.value === "string" &&
          e.value.toLowerCase().endsWith("@example.org"),
      ) &&
      u.active === true,
  },
  {
    name: "or of sw and pr",
    filter: 'name.familyName sw "family1" or title pr',
    hand: (u) =>
      (typeof u.name?.familyName === "string" && u.name.familyName.toLowerCase().startsWith("family1")) ||
      (typeof u.title === "string" && u.title !== ""),
  },
  {
    name: "pr and eq",
    filter: 'title pr and userType eq "Employee"',
    hand: (u) =>
      typeof u.title === "string" &&
      u.title !== "" &&
      typeof u.userType === "string" &&
      u.userType.toLowerCase() === "employee",
  },
  {
    // Every user was modified after 2015, so the dateTime comparison decides every record.
    name: "dateTime or sw",
    filter: 'meta.lastModified gt "2015-01-01T00:00:00Z" or name.familyName sw "Sm"',
    // The ceiling a developer who knows the data writes: a plain string compare, exact only because
    // every stored lastModified here is canonical UTC of one shape (toISOString).
    hand: (u) =>
      (typeof u.meta?.lastModified === "string" && u.meta.lastModified > "2015-01-01T00:00:00Z") ||
      (typeof u.name?.familyName === "string" && u.name.familyName.toLowerCase().startsWith("sm")),
  },
  {
    // About half the users: the comparison's outcome varies, so no branch is always taken.
    name: "dateTime ge",
    filter: 'meta.lastModified ge "2024-07-01T00:00:00Z"',
    hand: (u) =>
      typeof u.meta?.lastModified === "string" && u.meta.lastModified >= "2024-07-01T00:00:00.000Z",
  },
];

// ------------------------------------------------------------------------------------------- checks
for (const text of RFC_FILTERS) {
  parseFilter(text);
  peerParse(text);
}
for (const c of CONDITIONS) {
  const ours = users.filter(compileFilter(c.filter, { resourceType: "User" })).length;
  const hand = users.filter(c.hand).length;
  if (ours !== hand)
    throw new Error(`${c.name}: scimkit matched ${ours}, the hand-written predicate ${hand}`);
  if (before && users.filter(before.compileFilter(c.filter, { resourceType: "User" })).length !== ours)
    throw new Error(`${c.name}: the before build matched another number of users`);
  c.matches = ours;
  c.peerMatches = users.filter(peerFilter(peerParse(c.filter))).length;
}

// ---------------------------------------------------------------------------------------------- run
const lines = [];
const parse = await measure({
  scimkit: () => {
    for (let i = 0; i < RFC_FILTERS.length; i++) sink += parseFilter(RFC_FILTERS[i]).op.length;
  },
  ...(before && {
    before: () => {
      for (let i = 0; i < RFC_FILTERS.length; i++) sink += before.parseFilter(RFC_FILTERS[i]).op.length;
    },
  }),
  "scim2-parse-filter": () => {
    for (let i = 0; i < RFC_FILTERS.length; i++) sink += peerParse(RFC_FILTERS[i]).op.length;
  },
});
lines.push(`### Parsing the ${RFC_FILTERS.length} RFC 7644 example filters (one op = all of them)`, "");
lines.push("| parser | ops/s | filters/s | scimkit is |", "| --- | ---: | ---: | ---: |");
lines.push(
  `| scimkit \`parseFilter\` | ${fmt(parse.scimkit)} | ${fmt(parse.scimkit * RFC_FILTERS.length)} | |`,
);
if (before)
  lines.push(
    `| scimkit before (\`FILTER_BEFORE\`) | ${fmt(parse.before)} | ${fmt(parse.before * RFC_FILTERS.length)} | ${ratio(parse.before, parse["scim2-parse-filter"])} faster than scim2-parse-filter |`,
  );
lines.push(
  `| scim2-parse-filter \`parse\` | ${fmt(parse["scim2-parse-filter"])} | ${fmt(parse["scim2-parse-filter"] * RFC_FILTERS.length)} | **${ratio(parse.scimkit, parse["scim2-parse-filter"])} faster** (target ≥ 5×) |`,
);

lines.push(
  "",
  `### Evaluating over ${users.length.toLocaleString("en-US")} users (one op = \`users.filter(predicate)\`)`,
  "",
);
lines.push(
  `| condition | matches | scimkit ops/s | scim2-parse-filter ops/s | hand-written ops/s | vs scim2-parse-filter (target ≥ 10×) | vs hand-written (target ≤ 1.5× slower) |${before ? " before ops/s | before vs scim2-parse-filter | before vs hand-written |" : ""}`,
  `| --- | ---: | ---: | ---: | ---: | ---: | ---: |${before ? " ---: | ---: | ---: |" : ""}`,
);
for (const c of CONDITIONS) {
  const ours = compileFilter(c.filter, { resourceType: "User" });
  const peer = peerFilter(peerParse(c.filter));
  const old = before?.compileFilter(c.filter, { resourceType: "User" });
  const hz = await measure({
    ...(old && {
      before: () => {
        sink += users.filter(old).length;
      },
    }),
    scimkit: () => {
      sink += users.filter(ours).length;
    },
    peer: () => {
      sink += users.filter(peer).length;
    },
    hand: () => {
      sink += users.filter(c.hand).length;
    },
  });
  const peerNote = c.peerMatches === c.matches ? "" : ` (matches ${c.peerMatches}: case-sensitive)`;
  lines.push(
    `| \`${c.filter}\` | ${c.matches} | ${fmt(hz.scimkit)} | ${fmt(hz.peer)}${peerNote} | ${fmt(hz.hand)} | **${ratio(hz.scimkit, hz.peer)} faster** | ${ratio(hz.hand, hz.scimkit)} slower |${old ? ` ${fmt(hz.before)} | ${ratio(hz.before, hz.peer)} faster | ${ratio(hz.hand, hz.before)} slower |` : ""}`,
  );
}

lines.push("", machineLine());
console.log(lines.join("\n"));
if (sink === 42) console.log("");
