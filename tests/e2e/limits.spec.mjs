// Issue 9: an input over the engine's 10 MB limit gets a clear message instead of freezing the tab.
import { test, expect, openApp } from "./fixtures.mjs";

test.setTimeout(180_000);

test("a 12 MB input shows the size message and the page stays responsive", async ({ page }) => {
  await openApp(page);
  await page.getByRole("tab", { name: /^Problems/ }).click();
  // Generated inside the page (12 MiB of a realistic unit), set as if pasted.
  const pasted = Date.now();
  const bytes = await page.evaluate(() => {
    const unit =
      "FROM python:3.12-slim AS deps\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends gcc\n" +
      "COPY requirements.txt .\nRUN pip install -r requirements.txt\n\n";
    const text = unit.repeat(Math.ceil((12 * 1024 * 1024) / unit.length));
    const ta = document.querySelector("textarea.input");
    ta.value = text;
    ta.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "insertFromPaste" }));
    return text.length;
  });
  expect(bytes).toBeGreaterThan(12 * 1024 * 1024);
  const notice = page.locator("#pane-problems .notice");
  // Known slow: on the 2-core machine under load the first render of 12 MB took 38 s
  // (textarea value 2 s, Yew render 27 s, layout 15 s; see BENCHMARKS.md).
  await expect(notice).toBeVisible({ timeout: 90_000 });
  await expect(notice).toContainText(/over the 10 MB limit/);
  console.log(`12 MB paste → size message: ${Date.now() - pasted} ms`);

  // Responsive: a trivial script answers within a second, and a tab click switches panes.
  const t0 = Date.now();
  expect(await page.evaluate(() => 1 + 1)).toBe(2);
  expect(Date.now() - t0).toBeLessThan(1000);
  const t1 = Date.now();
  await page.getByRole("tab", { name: /^Graph/ }).click();
  await expect(page.getByRole("tab", { name: /^Graph/ })).toHaveAttribute("aria-selected", "true", {
    timeout: 2000,
  });
  console.log(`tab click with 12 MB text: ${Date.now() - t1} ms`);
  expect(Date.now() - t1).toBeLessThan(2000);
  await expect(page.locator("#pane-graph")).toContainText(/too large/i);
});
