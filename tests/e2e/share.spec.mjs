// Issue 8: share links. The codec is tested natively over every corpus file up to 100 KB
// (`cargo test -p stageplay-web --lib share`); these are the browser checks.
import { readFileSync } from "node:fs";
import { test, expect, openApp, setEditorText, expectEditorText } from "./fixtures.mjs";

const fixtures = JSON.parse(readFileSync(new URL("./share.fixture.json", import.meta.url), "utf8"));
const crlf = fixtures.find((f) => f.name === "crlf-tabs-unicode");

async function downloadDockerfile(page) {
  await page.getByRole("button", { name: "Export", exact: true }).click();
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Dockerfile" }).click()]);
  await page.keyboard.press("Escape");
  return readFileSync(await download.path());
}

test("copy link, open it: same text, a new snippet, the draft untouched", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await openApp(page);
  const draft = "FROM alpine:3.20\nRUN echo draft\n";
  await setEditorText(page, draft);
  await page.waitForTimeout(600);
  const text = "FROM node:22 AS build\n\tRUN echo \"tabs\tand ünïcödé ✓ 🐳\"\nFROM gcr.io/distroless/nodejs22\nCOPY --from=build /app /app\n";
  await page.keyboard.press("Alt+n");
  await setEditorText(page, text);
  await page.keyboard.press("Alt+3");
  await page.getByRole("button", { name: "Share", exact: true }).click();
  await page.getByRole("button", { name: "Copy link" }).click();
  await expect(page.locator(".notice")).toContainText("Copied");
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toBe(await page.locator("#share-link").inputValue());
  expect(link).toMatch(/#s=[A-Za-z0-9_-]+$/);
  // The text changes after the link was made (autosaved), so no snippet holds the link's text.
  await page.keyboard.press("Escape");
  await setEditorText(page, text + "# changed after sharing\n");
  await page.waitForTimeout(600);

  const other = await context.newPage();
  await other.goto(link);
  await expectEditorText(other, text);
  await expect(other.getByRole("tab", { name: /^Suggestions/ })).toHaveAttribute("aria-selected", "true");
  await expect(other.locator(".notice")).toContainText("new snippet");
  expect(new URL(other.url()).hash).toBe("");
  await expect(other.locator("#snippet-select option")).toHaveText(["Draft", "Untitled", "Shared link"]);
  await other.locator("#snippet-select").selectOption({ label: "Draft" });
  await expectEditorText(other, draft);
  // Opening the same link again opens that snippet instead of adding one each time.
  await other.goto("about:blank");
  await other.goto(link);
  await expectEditorText(other, text);
  await expect(other.locator(".notice")).toContainText("already holds the same text");
  await expect(other.locator("#snippet-select option")).toHaveText(["Draft", "Untitled", "Shared link"]);
  await expect(other.locator("#snippet-select option:checked")).toHaveText("Shared link");
});

test("a link carrying CRLF, tabs and Unicode downloads back exact (line ends as LF) with its settings", async ({ page }) => {
  await page.goto("/#" + crlf.fragment);
  await expect(page.locator(".cm-content .tok-keyword").first()).toBeVisible();
  await expect(page.getByRole("tab", { name: /^Image/ })).toHaveAttribute("aria-selected", "true");
  // The editor keeps line ends as LF (CodeMirror's documents do); everything else is exact.
  const lf = crlf.text.replaceAll("\r\n", "\n");
  const bytes = await downloadDockerfile(page);
  expect(bytes.equals(Buffer.from(lf, "utf8"))).toBe(true);
  await page.getByRole("button", { name: "Share", exact: true }).click();
  const again = await page.locator("#share-link").inputValue();
  const reopened = await page.context().newPage();
  await reopened.goto(again);
  await expectEditorText(reopened, lf);
  await expect(reopened.getByRole("tab", { name: /^Image/ })).toHaveAttribute("aria-selected", "true");
});

test("a damaged link says so and leaves the draft alone", async ({ page }) => {
  await openApp(page);
  const draft = "FROM alpine:3.20\nRUN echo mine\n";
  await setEditorText(page, draft);
  await page.waitForTimeout(600);
  await page.goto("/?x#s=AQ____broken");
  await page.reload();
  await expect(page.locator(".notice")).toContainText("could not be opened");
  await expectEditorText(page, draft);
  await expect(page.locator("#snippet-select option")).toHaveCount(1);
});

test("a link pasted into the address bar of the open app opens as a new snippet", async ({ page }) => {
  await openApp(page);
  await page.evaluate((f) => { location.hash = f; }, crlf.fragment);
  await expect(page.locator("#snippet-select option:checked")).toHaveText("Shared link");
  await expectEditorText(page, crlf.text.replaceAll("\r\n", "\n"));
});
