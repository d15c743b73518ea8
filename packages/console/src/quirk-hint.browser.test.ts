/// <reference types="node" />
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { RunningServer } from "@scimkit/server/node";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStrictServer } from "./__fixtures__/strict-server.js";

const CHROMIUM = "/usr/bin/chromium";
const TOKEN = "strict-console-token-0123456789";

describe.skipIf(!existsSync(CHROMIUM))("the IdP-quirk hint, in Chromium against a strict server", () => {
  let server: RunningServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startStrictServer(TOKEN);
    browser = await chromium.launch({ executablePath: CHROMIUM });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("explains Entra's capitalised PATCH op that strict mode refuses", async () => {
    const origin = server.url.replace(/\/$/, "");
    const send = (method: string, path: string, body: unknown) =>
      fetch(`${origin}/scim/v2${path}`, {
        method,
        headers: {
          authorization: `Bearer ${TOKEN}`,
          "content-type": "application/scim+json",
          "user-agent": "Microsoft Azure AD SCIM provisioning 1.0",
        },
        body: JSON.stringify(body),
      });
    const created = await send("POST", "/Users", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: "strict@example.com",
    });
    const { id } = (await created.json()) as { id: string };
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    await page.goto(`${origin}/`);
    await page.getByLabel("Bearer token").fill(TOKEN);
    await page.keyboard.press("Enter");
    await page.locator(".live.live").waitFor();
    const refused = await send("PATCH", `/Users/${id}`, {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "Replace", path: "active", value: false }],
    });
    expect(refused.status).toBe(400);
    const row = page.locator("li.request.failed", { hasText: "invalidSyntax" });
    await row.locator("button").click();
    const hint = row.locator(".hint");
    await hint.waitFor();
    expect(await hint.textContent()).toMatch(
      /Known IdP quirk.*"op": "Add".*sent by Entra ID.*lower-case operation/s,
    );
    expect(await row.locator(".why .rfc").textContent()).toBe("RFC 7644 §3.12");
    if (process.env.UPDATE_SCREENSHOTS)
      await row
        .locator(".why")
        .screenshot({ path: join(import.meta.dirname, "..", "docs", "quirk-hint.png") });
  });
});
