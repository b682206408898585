// Issue 8: embed mode, the example page (docs/embed-example/) and the sizing handshake.
import { test, expect, openApp, editorText, expectEditorText } from "./fixtures.mjs";

const base = process.env.STAGEPLAY_URL;

test("the example page loads the iframe, the iframe sizes itself, read-only refuses edits", async ({ page }) => {
  await page.goto("/docs/embed-example/");
  const iframe = page.locator("#readonly-demo");
  await expect(iframe).toHaveAttribute("data-stageplay-sized", "true", { timeout: 20_000 });
  const frame = page.frameLocator("#readonly-demo");
  const editor = frame.locator(".cm-content");
  await expectEditorText(frame, /FROM python:3\.12-slim AS builder/);
  await expect(frame.getByRole("tab", { name: /^Graph/ })).toHaveAttribute("aria-selected", "true");
  await expect(frame.locator(".embed-bar")).toContainText("read-only");
  // The iframe is as tall as the app inside it (not the 400 px the page asked for).
  const { frameHeight, appHeight } = await page.evaluate(async () => {
    const f = document.getElementById("readonly-demo");
    return { frameHeight: f.getBoundingClientRect().height, appHeight: f.contentDocument.querySelector(".app").scrollHeight };
  });
  expect(Math.abs(frameHeight - appHeight)).toBeLessThanOrEqual(2);
  expect(frameHeight).not.toBe(400);
  // Read-only: typing and pasting change nothing.
  const before = await editorText(frame);
  await editor.click();
  await page.keyboard.press("Control+A");
  await page.keyboard.type("RUN rm -rf /");
  await page.keyboard.insertText("FROM evil");
  await page.keyboard.press("Control+V");
  await expect(editor).toHaveAttribute("aria-readonly", "true");
  expect(await editorText(frame)).toBe(before);
  // The embed saves nothing into the visitor's storage for the full app.
  const keys = await frame.locator("body").evaluate(() => Object.keys(localStorage));
  expect(keys.filter((k) => k.startsWith("stageplay.snippet"))).toEqual([]);
  // The second, editable frame has no embed.js marker and keeps its own height.
  const editable = page.frameLocator("#editable-demo");
  await expectEditorText(editable, /FROM golang/);
  await expect(editable.locator(".app")).toHaveAttribute("data-theme", "dark");
});

test("cross-origin: sizing works and spoofed messages are ignored", async ({ page }) => {
  // The host page is on 127.0.0.1, the app on localhost: two origins.
  const app = base.replace("127.0.0.1", "localhost") + "/docs/playground/";
  // A page from the loopback server (Chromium refuses loopback frames in pages it cannot place).
  await page.goto(base + "/docs/embed-example/");
  await page.setContent(`<!doctype html><title>host</title>
    <iframe id="f" src="${app}?embed&pane=problems&example=single-stage-python" data-stageplay style="width:100%" height="300"></iframe>
    <iframe id="restricted" src="${app}?embed&parent=https%3A%2F%2Fdocs.example&example=guide-uv" data-stageplay height="300"></iframe>
    <script src="${app}embed.js"></script>`);
  await expect(page.locator("#f")).toHaveAttribute("data-stageplay-sized", "true", { timeout: 20_000 });
  // The embed sizes itself at first paint and again when its analysis arrives (after the first
  // paint): take its height once two readings 500 ms apart agree.
  let sized = "";
  await expect
    .poll(
      async () => {
        const h = await page.locator("#f").evaluate((f) => f.style.height);
        const settled = h === sized;
        sized = h;
        return settled;
      },
      { intervals: [500], timeout: 15_000 },
    )
    .toBe(true);
  // A message from the host page itself (not the iframe) must not resize it.
  await page.evaluate(() => window.postMessage({ type: "stageplay:resize", height: 1234 }, "*"));
  await page.waitForTimeout(300);
  expect(await page.locator("#f").evaluate((f) => f.style.height)).toBe(sized);
  // An embed restricted to another parent origin never answers this page.
  await expectEditorText(page.frameLocator("#restricted"), /uv/);
  await page.waitForTimeout(1000);
  await expect(page.locator("#restricted")).not.toHaveAttribute("data-stageplay-sized", "true");
  // Editable embed: typing works.
  const editor = page.frameLocator("#f").locator(".cm-content");
  await editor.click();
  await page.keyboard.press("Control+End");
  await page.keyboard.type("\nRUN echo typed");
  await expectEditorText(page.frameLocator("#f"), /RUN echo typed/);
});

test("the Embed button produces an iframe snippet that works", async ({ page }) => {
  await openApp(page);
  await page.getByRole("button", { name: "Embed", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Embed in a page" });
  await dialog.getByLabel("Hide the editor").check();
  await dialog.locator("#embed-pane").selectOption("image");
  const code = await dialog.locator("#embed-code").inputValue();
  expect(code).toContain("<iframe src=");
  expect(code).toContain("?embed&amp;readonly&amp;pane=image&amp;editor=0#s=");
  expect(code).toContain('embed.js" async></script>');
  const src = code.match(/src="([^"]+)"/)[1].replaceAll("&amp;", "&");
  await page.goto(src);
  await expect(page.locator(".app.embed")).toBeVisible();
  await expect(page.locator(".cm-editor")).toHaveCount(0);
  await expect(page.getByRole("tab", { name: /^Image/ })).toHaveAttribute("aria-selected", "true");
});
