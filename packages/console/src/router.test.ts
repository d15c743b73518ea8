import { describe, expect, it } from "vitest";
import { href, parseRoute, type Route } from "./router.js";

describe("routes", () => {
  it.each([
    ["", { view: "activity" }],
    ["#/overview", { view: "overview" }],
    ["#/requests/42", { view: "request", id: "42" }],
    ["#/resources", { view: "resources", endpoint: "Users" }],
    ["#/resources/Groups/a%2Fb", { view: "resources", endpoint: "Groups", id: "a/b" }],
    ["#/nowhere", { view: "activity" }],
  ] as [string, Route][])("%s", (hash, route) => {
    expect(parseRoute(hash)).toEqual(route);
    if (hash !== "" && hash !== "#/nowhere" && hash !== "#/resources") expect(href(route)).toBe(hash);
  });
});
