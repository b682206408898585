// Shared fixtures: every test records the requests the page makes and fails if any goes
// anywhere but the loopback server (the app must never touch the network).
import { test as base, expect } from "@playwright/test";

export const test = base.extend({
  loopbackOnly: [
    async ({ context }, use) => {
      const foreign = [];
      context.on("request", (request) => {
        const url = new URL(request.url());
        const local = ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
        if (!local && !["data:", "blob:", "about:"].includes(url.protocol)) foreign.push(request.url());
      });
      await use(foreign);
      expect(foreign, "requests to hosts other than the loopback server").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** Opens the app and waits for the first analysed render. */
export async function openApp(page, path = "/") {
  await page.goto(path);
  await expect(page.locator("textarea.input")).toBeVisible();
  await expect(page.locator(".overlay .tok-keyword").first()).toBeVisible();
}

/** Replaces the editor's text by typing-equivalent input (select all, insert). */
export async function setEditorText(page, text) {
  const editor = page.locator("textarea.input");
  await editor.click();
  await page.keyboard.press("Control+A");
  await page.keyboard.insertText(text);
}
