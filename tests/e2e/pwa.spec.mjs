// Issue 8: offline PWA, autosave, snippets, examples gallery, keyboard, help and exports.
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { test, expect, openApp, setEditorText, expectEditorText, editorContent } from "./fixtures.mjs";

const galleryDir = fileURLToPath(new URL("../../crates/stageplay/gallery/", import.meta.url));
const galleryCount = readdirSync(galleryDir).filter((f) => f.endsWith(".Dockerfile")).length;

/** Waits until the page's service worker is activated and controls the page. */
async function waitForWorker(page) {
  await page.evaluate(async () => {
    // `ready` waits for a registration with an active worker (a fresh registration may not
    // have its installing worker yet when getRegistration() answers).
    const worker = (await navigator.serviceWorker.ready).active;
    if (worker.state !== "activated") {
      await new Promise((resolve) => {
        worker.addEventListener("statechange", () => worker.state === "activated" && resolve());
      });
    }
  });
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
}

test("offline: with the worker activated, a reload without network renders and analyses", async ({ page, context }) => {
  await openApp(page);
  await waitForWorker(page);
  await context.setOffline(true);
  await page.reload();
  await expect(editorContent(page)).toBeVisible();
  await expect(page.locator(".cm-content .tok-keyword").first()).toBeVisible();
  await setEditorText(page, "FROM alpine:3.20\nFROBNICATE the widgets\n");
  await page.getByRole("tab", { name: /^Problems/ }).click();
  await expect(page.locator(".problem").filter({ hasText: /FROBNICATE|unknown instruction/i }).first()).toBeVisible();
  // The package tables the estimate reads (fetched on first use, src/tables.rs) come from the
  // worker's cache too: the Image pane shows the estimate, not the tables' loading error.
  await setEditorText(page, "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl\n");
  await page.getByRole("tab", { name: /^Image/ }).click();
  await expect(page.locator(".image").first()).toBeVisible();
  await expect(page.getByText("could not be loaded")).toHaveCount(0);
  await context.setOffline(false);
});

test("the same build works from the sub-path /docs/playground/, offline too", async ({ page, context }) => {
  await openApp(page, "/docs/playground/");
  const manifest = await page.evaluate(async () => {
    const href = document.querySelector('link[rel="manifest"]').href;
    return { href, ok: (await fetch(href)).ok };
  });
  expect(manifest.href).toMatch(/\/docs\/playground\/manifest\.webmanifest$/);
  expect(manifest.ok).toBe(true);
  await waitForWorker(page);
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).scope);
  expect(new URL(scope).pathname).toBe("/docs/playground/");
  await context.setOffline(true);
  await page.reload();
  await expect(page.locator(".cm-content .tok-keyword").first()).toBeVisible();
  await context.setOffline(false);
});

test("autosave: type, reload, the text is back", async ({ page }) => {
  await openApp(page);
  const text = "FROM alpine:3.20 AS base\n\tRUN echo 'autosaved ✓'\n";
  await setEditorText(page, text);
  await page.waitForTimeout(700); // past the 400 ms debounce
  await page.reload();
  await expectEditorText(page, text);
});

test("snippets: new, rename, duplicate, switch and delete; an example resets the current one", async ({ page }) => {
  page.on("dialog", (d) => d.accept());
  await openApp(page);
  await setEditorText(page, "FROM alpine AS first\n");
  await page.keyboard.press("Alt+n");
  await expectEditorText(page, "");
  await setEditorText(page, "FROM busybox AS second\n");
  await page.getByRole("button", { name: "Snippets", exact: true }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toBeVisible();
  const names = dialog.locator(".snippet-name");
  await expect(names).toHaveCount(2);
  await names.nth(1).fill("My second");
  await names.nth(1).press("Enter");
  await expect(page.locator("#snippet-select option:checked")).toHaveText("My second");
  await dialog.getByRole("button", { name: "Duplicate My second" }).click();
  await expect(page.locator("#snippet-select option")).toHaveCount(3);
  await expect(page.locator("#snippet-select option:checked")).toHaveText("My second copy");
  await expectEditorText(page, "FROM busybox AS second\n");
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Delete My second copy" }).click();
  await expect(page.locator("#snippet-select option")).toHaveCount(2);
  await page.keyboard.press("Escape");
  await page.locator("#snippet-select").selectOption({ label: "Draft" });
  await expectEditorText(page, "FROM alpine AS first\n");
  // Reset the current snippet to an example.
  await page.getByRole("button", { name: "Examples", exact: true }).click();
  await dialog.getByRole("button", { name: "Replace the current snippet with Single-stage Go (before)" }).click();
  await expectEditorText(page, /FROM golang/);
  await expect(page.locator("#snippet-select option")).toHaveCount(2);
  await page.waitForTimeout(700);
  await page.reload();
  await expect(page.locator("#snippet-select option")).toHaveText(["Draft", "My second"]);
  await expectEditorText(page, /FROM golang/);
});

test("the examples gallery lists every example with its hint and opens one as a new snippet", async ({ page }) => {
  await openApp(page);
  await page.keyboard.press("Alt+e");
  const dialog = page.getByRole("dialog", { name: "Examples" });
  await expect(dialog).toBeVisible();
  await expect(dialog.locator(".gallery-item")).toHaveCount(galleryCount);
  const hints = await dialog.locator(".gallery-hint").allTextContents();
  expect(hints.every((h) => h.trim().length > 10)).toBe(true);
  await dialog.getByRole("button", { name: "Open Multi-stage with uv as a new snippet" }).click();
  await expect(dialog).toBeHidden();
  await expectEditorText(page, /uv/);
  await expect(page.locator("#snippet-select option:checked")).toHaveText("Multi-stage with uv");
  await expect(page.locator(".notice")).toContainText("Multi-stage with uv");
});

test("keyboard: ? opens the help, Esc closes it, Alt+digits and arrows switch panes", async ({ page }) => {
  await openApp(page);
  await page.locator("body").press("?");
  const help = page.getByRole("dialog", { name: /Keyboard shortcuts/ });
  await expect(help).toBeVisible();
  await expect(help.locator("kbd").first()).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(help).toBeHidden();
  await page.keyboard.press("Alt+2");
  await expect(page.getByRole("tab", { name: /^Image/ })).toHaveAttribute("aria-selected", "true");
  await page.getByRole("tab", { name: /^Image/ }).focus();
  await page.keyboard.press("ArrowRight");
  await expect(page.getByRole("tab", { name: /^Suggestions/ })).toHaveAttribute("aria-selected", "true");
  await expect(page.getByRole("tab", { name: /^Suggestions/ })).toBeFocused();
  await page.keyboard.press("End");
  await expect(page.getByRole("tab", { name: /^Problems/ })).toBeFocused();
  // Every toolbar control is reachable with Tab.
  const reached = new Set();
  await page.locator(".brand").click();
  for (let i = 0; i < 14; i++) {
    await page.keyboard.press("Tab");
    reached.add(await page.evaluate(() => document.activeElement.id || document.activeElement.textContent.trim()));
  }
  for (const name of ["snippet-select", "Open file", "Snippets", "Examples", "Share", "Embed", "Export", "Help"]) {
    expect([...reached], name).toContain(name);
  }
});

test("exports: the Dockerfile byte for byte, JSON, SARIF and a Markdown report", async ({ page }) => {
  await openApp(page);
  const text = "FROM alpine:3.20 AS build\n\tRUN apt-get install gcc\nFROM scratch\nCOPY --from=build /a /a\n";
  await setEditorText(page, text);
  const grab = async (label) => {
    await page.getByRole("button", { name: "Export", exact: true }).click();
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: label }).click()]);
    await page.keyboard.press("Escape");
    return { name: download.suggestedFilename(), body: readFileSync(await download.path(), "utf8") };
  };
  const docker = await grab("Dockerfile");
  expect(docker).toEqual({ name: "Dockerfile", body: text });
  const json = await grab("Analysis (JSON)");
  const analysis = JSON.parse(json.body);
  expect(analysis.model.stages).toHaveLength(2);
  expect(analysis.problems.length).toBeGreaterThan(0);
  const sarif = JSON.parse((await grab("SARIF 2.1.0")).body);
  expect(sarif.version).toBe("2.1.0");
  expect(sarif.runs[0].results.length).toBe(analysis.problems.length);
  const md = await grab("Markdown report");
  expect(md.name).toBe("stageplay-report.md");
  expect(md.body).toContain("# Stageplay report");
  expect(md.body).toMatch(/\| 0 \| build \| alpine:3\.20 \|/);
});

test("the layout is usable at 375 px: the toolbar scrolls, dialogs fit", async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 740 });
  await openApp(page);
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(await overflow()).toBeLessThanOrEqual(0);
  await page.getByRole("button", { name: "Share", exact: true }).click();
  const box = await page.getByRole("dialog").boundingBox();
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(375);
  await expect(page.getByRole("button", { name: "Copy link" })).toBeVisible();
});
