// Issue 8, acceptance 5: Lighthouse 12.2.3 and axe-core on the served release build.
// Run through `cargo xtask audit`, which installs the tools into .tools/audit and sets
// STAGEPLAY_AUDIT_MODULES; in a plain e2e run these tests are skipped.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "@playwright/test";
import { test, expect, openApp } from "./fixtures.mjs";

const modules = process.env.STAGEPLAY_AUDIT_MODULES;
const base = process.env.STAGEPLAY_URL;
const load = (path) => import(pathToFileURL(join(modules, path)).href);
const CHROME_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-default-apps"];

test.skip(!modules, "run with `cargo xtask audit` (it installs Lighthouse and axe-core)");

async function lighthouseRun(url, formFactor) {
  const { default: lighthouse } = await load("lighthouse/core/index.js");
  const chromeLauncher = await load("chrome-launcher/dist/index.js");
  const chrome = await chromeLauncher.launch({ chromePath: process.env.CHROME_PATH || "/usr/bin/chromium", chromeFlags: CHROME_FLAGS });
  try {
    const config = formFactor === "desktop"
      ? (await load("lighthouse/core/config/desktop-config.js")).default
      : undefined;
    const result = await lighthouse(url, {
      port: chrome.port,
      output: "json",
      logLevel: "error",
      onlyCategories: ["performance", "accessibility", "best-practices"],
    }, config);
    const lhr = result.lhr;
    // STAGEPLAY_AUDIT_DUMP=/path/prefix keeps the whole report for a closer look.
    if (process.env.STAGEPLAY_AUDIT_DUMP) (await import("node:fs")).writeFileSync(`${process.env.STAGEPLAY_AUDIT_DUMP}-${formFactor}.json`, JSON.stringify(lhr));
    const scores = Object.fromEntries(Object.entries(lhr.categories).map(([k, c]) => [k, Math.round(c.score * 100)]));
    const failing = Object.values(lhr.audits)
      .filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode !== "informative" && a.scoreDisplayMode !== "manual" && a.scoreDisplayMode !== "notApplicable")
      .map((a) => `${a.id} (${a.score})${a.displayValue ? " " + a.displayValue : ""}`);
    const metrics = ["first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift", "speed-index"]
      .map((id) => `${id} ${lhr.audits[id]?.displayValue ?? "?"}`);
    return { scores, failing, metrics, runtimeError: lhr.runtimeError?.message };
  } finally {
    await chrome.kill();
  }
}

for (const formFactor of ["mobile", "desktop"]) {
  test(`Lighthouse (${formFactor}): performance ≥ 95, accessibility 100, best practices 100`, async () => {
    test.setTimeout(240_000);
    const r = await lighthouseRun(base + "/", formFactor);
    console.log(`Lighthouse 12.2.3 ${formFactor}: ${JSON.stringify(r.scores)}\n  ${r.metrics.join(", ")}\n  below 1: ${r.failing.join("; ") || "none"}`);
    expect(r.runtimeError).toBeUndefined();
    expect(r.scores.performance).toBeGreaterThanOrEqual(95);
    expect(r.scores.accessibility).toBe(100);
    expect(r.scores["best-practices"]).toBe(100);
  });
}

test("PWA installability: manifest and service worker pass Chromium's installability checks", async () => {
  test.setTimeout(120_000);
  // A persistent profile: Chromium reports every incognito context as not installable.
  const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), "stageplay-pwa-")), {
    executablePath: "/usr/bin/chromium",
    args: CHROME_FLAGS.filter((f) => f !== "--headless=new"),
  });
  try {
    const page = await context.newPage();
    await openApp(page, base + "/");
    await page.waitForFunction(async () => !!(await navigator.serviceWorker.getRegistration())?.active);
    const cdp = await context.newCDPSession(page);
    const manifest = await cdp.send("Page.getAppManifest");
    const { installabilityErrors } = await cdp.send("Page.getInstallabilityErrors");
    console.log(`installability errors: ${JSON.stringify(installabilityErrors)}; manifest errors: ${JSON.stringify(manifest.errors)}`);
    expect(manifest.errors).toEqual([]);
    expect(installabilityErrors).toEqual([]);
  } finally {
    await context.close();
  }
});

test("axe-core: no serious or critical violation (app, dialogs, dark theme, 375 px, embed)", async ({ page }) => {
  test.setTimeout(180_000);
  const { default: AxeBuilder } = await load("@axe-core/playwright/dist/index.mjs");
  const found = [];
  const check = async (what) => {
    const { violations } = await new AxeBuilder({ page }).analyze();
    for (const v of violations.filter((v) => ["serious", "critical"].includes(v.impact))) {
      found.push(`${what}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
    }
    console.log(`axe ${what}: ${violations.length} violations (${violations.map((v) => `${v.id}/${v.impact}`).join(", ") || "none"})`);
  };
  await openApp(page);
  for (const tab of ["Graph", "Image", "Suggestions", "Problems"]) {
    await page.getByRole("tab", { name: new RegExp(`^${tab}`) }).click();
    await check(`${tab} pane`);
  }
  for (const name of ["Snippets", "Examples", "Share", "Embed", "Export", "Guide"]) {
    await page.getByRole("button", { name, exact: true }).click();
    await check(`${name} dialog`);
    await page.keyboard.press("Escape");
  }
  await page.getByRole("button", { name: "Help", exact: true }).click();
  await check("Help dialog");
  await page.keyboard.press("Escape");
  // The editor's own surfaces: the completion list and the rename panel (F2).
  await page.locator(".editor .cm-content").click();
  await page.keyboard.press("Control+End");
  await page.keyboard.type("WORK");
  await expect(page.locator(".cm-tooltip-autocomplete")).toBeVisible();
  await check("completion list");
  await page.keyboard.press("Escape");
  await page.evaluate(() => {
    const view = document.querySelector(".editor").editorView;
    view.dispatch({ selection: { anchor: view.state.doc.toString().indexOf("builder") + 1 } });
  });
  await page.keyboard.press("F2");
  await expect(page.getByRole("textbox", { name: "New name" })).toBeFocused();
  await check("rename panel");
  await page.keyboard.press("Escape");
  await page.keyboard.press("Alt+t");
  await check("dark theme");
  await page.setViewportSize({ width: 375, height: 740 });
  await check("375 px");
  await page.getByRole("tab", { name: /^Analysis/ }).click();
  await check("375 px, analysis");
  await page.goto("/?embed&readonly&pane=image");
  await expect(page.locator(".app.embed")).toBeVisible();
  await check("embed");
  expect(found).toEqual([]);
});
