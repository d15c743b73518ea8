/// <reference types="node" />
import { existsSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ENTRA_AGENT,
  OKTA_AGENT,
  type RunningServer,
  scim,
  startReferenceServer,
} from "./__fixtures__/reference-server.js";

// Debian's chromium, which .ci/run installs; never a browser downloaded by playwright.
const CHROMIUM = "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium)
  process.stderr.write(
    `console: browser tests skipped: ${CHROMIUM} not found (CI installs Debian's chromium)\n`,
  );

// `UPDATE_SCREENSHOTS=1 pnpm test` rewrites the README's screenshots; otherwise they go to a temp folder.
const shots = process.env.UPDATE_SCREENSHOTS
  ? join(import.meta.dirname, "..", "docs")
  : mkdtempSync(join(tmpdir(), "scimkit-console-shots-"));
mkdirSync(shots, { recursive: true });

const USER = `console-${Date.now().toString(36)}@example.com`;

describe.skipIf(!hasChromium)("the console in Chromium, served by the reference server", () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const cspViolations: string[] = [];
  const foreign: string[] = [];

  beforeAll(async () => {
    server = await startReferenceServer();
    browser = await chromium.launch({ executablePath: CHROMIUM });
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    page.on("console", (message) => {
      if (/Content.Security.Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    page.on("request", (request) => {
      if (!request.url().startsWith(server.origin)) foreign.push(request.url());
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("serves the console at / with a CSP that allows nothing inline", async () => {
    const response = await fetch(`${server.origin}/`);
    expect(response.status).toBe(200);
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    const html = await response.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/\sstyle=/);
  });

  it("refuses a wrong token and shows nothing", async () => {
    await page.goto(`${server.origin}/`);
    await page.getByLabel("Bearer token").fill("not-the-token-at-all");
    await page.keyboard.press("Enter");
    await expect
      .poll(() => page.locator("#token-error").textContent(), { timeout: 5000 })
      .toMatch(/Wrong token.*401/);
    expect(await page.locator("nav[aria-label=Views]").count()).toBe(0);
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await page.screenshot({ path: join(shots, "sign-in.png") });
  });

  it("signs in with the keyboard; the token is kept in sessionStorage only", async () => {
    await page.goto(`${server.origin}/`);
    // The token input has focus on load: type and press Enter, no mouse.
    await page.keyboard.type(server.token);
    await page.keyboard.press("Enter");
    await page.locator("h1#view-title", { hasText: "Activity" }).waitFor();
    expect(await page.evaluate(() => Object.values(sessionStorage))).toContain(server.token);
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
    await page.locator(".live.live").waitFor({ timeout: 5000 });
  });

  it("shows a failed request (invalidFilter) live within 2 s, with status, scimType, bodies and the RFC", async () => {
    const sent = Date.now();
    const answer = await scim(server, "POST", "/Users/.search", {
      body: { schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], filter: "userName eq" },
      agent: ENTRA_AGENT,
    });
    expect(answer.status).toBe(400);
    expect(answer.body.scimType).toBe("invalidFilter");
    const row = page.locator("li.request.failed", { hasText: "invalidFilter" }).first();
    await row.waitFor({ timeout: 2000 });
    expect(Date.now() - sent).toBeLessThan(2000);
    expect(await row.locator(".status").textContent()).toContain("400");
    expect(await row.locator(".idp").textContent()).toBe("Entra ID");
    await row.locator("button.request-row").click();
    const detail = row.locator(".request-detail");
    await detail.waitFor();
    expect(await detail.locator(".request-body pre").textContent()).toContain('"filter": "userName eq"');
    expect(await detail.locator(".response-body pre").textContent()).toContain('"scimType": "invalidFilter"');
    expect(await detail.locator(".why .rfc").textContent()).toBe("RFC 7644 §3.4.2.2");
    // Newer traffic arrives above the opened failure, as on a real day.
    await scim(server, "GET", "/ServiceProviderConfig", { agent: OKTA_AGENT });
    await scim(server, "GET", "/Groups?count=10", { agent: ENTRA_AGENT });
    await page.locator("li.request", { hasText: "/scim/v2/Groups" }).first().waitFor({ timeout: 5000 });
    expect(await row.locator(".request-detail").count()).toBe(1);
    await page.screenshot({ path: join(shots, "activity.png") });
  });

  it("filters by identity provider", async () => {
    const created = await scim(server, "POST", "/Users", {
      body: {
        schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
        userName: USER,
        displayName: "Before",
      },
      agent: OKTA_AGENT,
    });
    expect(created.status).toBe(201);
    await page.locator("li.request[data-idp=okta]").first().waitFor({ timeout: 5000 });
    await page.getByLabel("Identity provider").selectOption("okta");
    await expect.poll(() => page.locator("li.request[data-idp=entra]").count(), { timeout: 5000 }).toBe(0);
    await expect
      .poll(() => page.locator("li.request[data-idp=okta]").count(), { timeout: 5000 })
      .toBeGreaterThan(0);
    await page.getByLabel("Identity provider").selectOption("entra");
    await expect.poll(() => page.locator("li.request[data-idp=okta]").count(), { timeout: 5000 }).toBe(0);
    await expect
      .poll(() => page.locator("li.request[data-idp=entra]", { hasText: "invalidFilter" }).count(), {
        timeout: 5000,
      })
      .toBe(1);
    // Live rows obey the filter too: a new Okta request does not appear under Entra ID.
    await scim(server, "GET", "/Users?count=1", { agent: OKTA_AGENT });
    await scim(server, "GET", "/Groups?count=2", { agent: ENTRA_AGENT });
    await page.locator("li.request", { hasText: "count=2" }).first().waitFor({ timeout: 5000 });
    expect(await page.locator("li.request[data-idp=okta]").count()).toBe(0);
    await page.getByLabel("Identity provider").selectOption("");
  });

  it("filters by status, text and time", async () => {
    const rows = page.locator("li.request");
    await page.getByLabel("Status").selectOption("error");
    await expect.poll(() => page.locator("li.request:not(.failed)").count(), { timeout: 5000 }).toBe(0);
    await expect.poll(() => rows.count(), { timeout: 5000 }).toBeGreaterThan(0);
    await page.getByLabel("Status").selectOption("");
    await page.getByLabel("Text").fill("ServiceProviderConfig");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect
      .poll(() => page.locator("li.request .path").allTextContents(), { timeout: 5000 })
      .toEqual(["/scim/v2/ServiceProviderConfig"]);
    await page.getByLabel("Text").fill("");
    await page.getByLabel("Time").selectOption("custom");
    await page.locator("#from").fill("2020-01-01T00:00:00");
    await page.locator("#to").fill("2020-01-02T00:00:00");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect
      .poll(() => page.locator(".list-status").first().textContent(), { timeout: 5000 })
      .toMatch(/No recorded requests match/);
    expect(await rows.count()).toBe(0);
    await page.getByLabel("Time").selectOption("15");
    await expect.poll(() => rows.count(), { timeout: 5000 }).toBeGreaterThan(3);
    await page.getByLabel("Time").selectOption("");
  });

  it("shows a user's history with the PATCH that changed it", async () => {
    const found = await scim(server, "GET", `/Users?filter=${encodeURIComponent(`userName eq "${USER}"`)}`);
    const id = (found.body.Resources as { id: string }[])[0]?.id as string;
    const patched = await scim(server, "PATCH", `/Users/${id}`, {
      body: {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        Operations: [{ op: "replace", path: "displayName", value: "After the PATCH" }],
      },
      agent: ENTRA_AGENT,
    });
    expect(patched.status).toBe(200);
    await page.getByRole("link", { name: "Resources" }).click();
    await page.getByLabel("SCIM filter").fill(`userName eq "${USER}"`);
    await page.getByRole("button", { name: "Search" }).click();
    await page.getByRole("link", { name: new RegExp(USER) }).click();
    const patch = page.locator(".history li[data-action=patch]");
    await patch.waitFor();
    expect(await patch.textContent()).toMatch(/PATCH patch success \(200\) from Entra ID/);
    expect(await patch.locator("pre").textContent()).toContain("After the PATCH");
    expect(await page.locator(".history li[data-action=create]").textContent()).toContain("from Okta");
    expect(await page.locator(".resource-detail .json pre").textContent()).toContain(
      '"displayName": "After the PATCH"',
    );
    await page.screenshot({ path: join(shots, "resources.png") });
    // A filter the server refuses says why.
    await page.getByLabel("SCIM filter").fill("userName eq");
    await page.getByRole("button", { name: "Search" }).click();
    await expect
      .poll(() => page.locator(".list-side .list-status").textContent(), { timeout: 5000 })
      .toMatch(/invalidFilter/);
  });

  it("shows the overview: chart, error rate, per-IdP counts and last success", async () => {
    await page.getByRole("link", { name: "Overview" }).click();
    await page.locator(".chart canvas").waitFor();
    const entra = page.locator(".idps tr[data-idp=entra]");
    await entra.waitFor();
    expect(await entra.locator("td").nth(1).textContent()).not.toBe("0");
    expect(await page.locator(".idps tr[data-idp=okta] td").nth(3).textContent()).toMatch(/ago/);
    expect(await page.locator(".card").first().textContent()).toMatch(/Error rate.*%/);
    await page.screenshot({ path: join(shots, "overview.png") });
  });

  it("is usable at 390 px: no horizontal scrolling on any view", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    for (const view of ["overview", "resources", "activity"]) {
      await page.goto(`${server.origin}/#/${view}`);
      await page
        .locator(
          view === "overview" ? ".chart canvas" : view === "resources" ? ".resource-detail p" : "li.request",
        )
        .first()
        .waitFor();
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width, view).toBeLessThanOrEqual(390);
    }
    await page.screenshot({ path: join(shots, "activity-390.png") });
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  it("is keyboard reachable: tabbing reaches navigation, filters and rows; Enter opens a row", async () => {
    await page.goto(`${server.origin}/#/activity`);
    // A fresh load, so focus starts at the top of the document (a hash-only goto would not reload).
    await page.reload();
    await page.locator("li.request").first().waitFor();
    const reached: string[] = [];
    for (let i = 0; i < 20; i++) {
      await page.keyboard.press("Tab");
      reached.push(
        await page.evaluate(() => {
          const el = document.activeElement as HTMLElement | null;
          return `${el?.tagName}:${el?.id || el?.className}:${el?.textContent?.slice(0, 20)}`;
        }),
      );
    }
    expect(
      reached.some((r) => /^A:[^:]*:Overview/.test(r)),
      reached.join("\n"),
    ).toBe(true);
    expect(
      reached.some((r) => r.startsWith("SELECT:idp")),
      reached.join("\n"),
    ).toBe(true);
    const rowIndex = reached.findIndex((r) => r.startsWith("BUTTON:request-row"));
    expect(rowIndex, reached.join("\n")).toBeGreaterThan(0);
    await page.keyboard.press("Shift+Tab");
    for (
      let i = 0;
      i < 20 && !(await page.evaluate(() => document.activeElement?.classList.contains("request-row")));
      i++
    )
      await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-expanded"))).toBe("true");
  });

  it("signs out, forgetting the token; nothing was blocked by the CSP and nothing left the machine", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByLabel("Bearer token").waitFor();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    expect(await page.locator("#token-error").textContent()).toMatch(/Signed out/);
    expect(cspViolations).toEqual([]);
    expect(foreign).toEqual([]);
  });
});
