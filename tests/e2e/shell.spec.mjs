// Issue 2: the app shell loads with the example and the four panes, and shows problems.
import { test, expect, openApp, setEditorText, editorText, editorCaret } from "./fixtures.mjs";

test("opens on the founding guide's basic multi-stage pattern with all four panes", async ({ page }) => {
  await openApp(page);
  const value = await editorText(page);
  expect(value).toContain("FROM python:3.12-slim AS builder");
  expect(value).toContain("COPY --from=builder /app/deps");
  for (const name of ["Graph", "Image", "Suggestions", "Problems"]) {
    await expect(page.getByRole("tab", { name: new RegExp(`^${name}`) })).toBeVisible();
  }
  const lines = value.split("\n").length;
  await expect(page.locator(".cm-lineNumbers .cm-gutterElement", { hasText: new RegExp(`^${lines}$`) })).toBeVisible();
});

test("an invalid instruction shows a diagnostic with its line in the Problems pane", async ({ page }) => {
  await openApp(page);
  await setEditorText(page, "FROM alpine:3.20\nFROBNICATE the widgets\nRUN echo ok\n");
  await page.getByRole("tab", { name: /^Problems/ }).click();
  const problem = page.locator(".problem").filter({ hasText: /FROBNICATE|unknown instruction/i }).first();
  await expect(problem).toBeVisible();
  await expect(problem.locator(".problem-pos")).toHaveText(/^2:\d+$/);
  await expect(page.locator(".cm-content .cm-lintRange-error").first()).toBeVisible();
});

test("clicking a problem moves the editor cursor to it", async ({ page }) => {
  await openApp(page);
  await setEditorText(page, "FROM alpine:3.20\nFROBNICATE the widgets\n");
  await page.getByRole("tab", { name: /^Problems/ }).click();
  await page.locator(".problem").filter({ hasText: /FROBNICATE|unknown instruction/i }).first().locator(".problem-link").click();
  const caret = await editorCaret(page);
  expect(caret).toBe("FROM alpine:3.20\n".length);
});

test("the theme toggle switches to dark and the layout works at 375 px", async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 740 });
  await openApp(page);
  await page.getByRole("button", { name: /Theme/ }).click();
  await expect(page.locator(".app")).toHaveAttribute("data-theme", "dark");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  // A phone shows the editor or the analysis (layout.spec covers the switch).
  await page.getByRole("tab", { name: /^Analysis/ }).click();
  await expect(page.getByRole("tab", { name: /^Problems/ })).toBeVisible();
});

test("while the wasm loads, a static shell shows the text the app will open; the app removes it", async ({ page }) => {
  // Hold the wasm back until the shell has been checked.
  let release;
  const held = new Promise((resolve) => (release = resolve));
  await page.route(/\.wasm$/, async (route) => {
    await held;
    // The first load's request was cancelled by the reload.
    await route.continue().catch(() => {});
  });
  await page.goto("/");
  await expect(page.locator("#shell-text")).toContainText("FROM python:3.12-slim AS builder");
  await expect(page.locator("#shell")).toContainText("Loading");
  // A returning user's own draft, not the example.
  await page.evaluate(() => {
    localStorage.setItem("stageplay.snippets", JSON.stringify({ snippets: [{ id: 7, name: "mine" }], active: 7, next_id: 8 }));
    localStorage.setItem("stageplay.snippet.7", JSON.stringify("FROM busybox AS mine\n"));
  });
  await page.reload();
  await expect(page.locator("#shell-text")).toHaveText("FROM busybox AS mine\n");
  release();
  await expect(page.locator(".cm-content .tok-keyword").first()).toBeVisible();
  await expect(page.locator("#shell")).toHaveCount(0);
  expect(await editorText(page)).toBe("FROM busybox AS mine\n");
});
