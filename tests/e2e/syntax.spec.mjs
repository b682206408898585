// Issue 3: colouring comes from Stageplay's parser; heredocs and mounts parse cleanly;
// an unterminated heredoc gives one diagnostic on the right line.
import { test, expect, openApp, setEditorText, expectEditorText } from "./fixtures.mjs";

const CLEAN = [
  "# syntax=docker/dockerfile:1",
  "FROM python:3.12-slim AS builder",
  "WORKDIR /app",
  "RUN --mount=type=cache,target=/root/.cache/pip \\",
  "    pip install -r requirements.txt",
  "RUN <<EOF",
  "set -e",
  'echo "built at $(date)"',
  "EOF",
  "COPY <<-EOT /app/config.ini",
  "\t[app]",
  "\tdebug = false",
  "\tEOT",
  'CMD ["python", "-m", "app"]',
  "",
].join("\n");

async function syntaxProblems(page) {
  await page.getByRole("tab", { name: /^Problems/ }).click();
  const codes = await page.locator(".problem-code").allTextContents();
  const positions = await page.locator(".problem-pos").allTextContents();
  return codes.map((code, i) => ({ code, pos: positions[i] })).filter((p) => p.code.startsWith("syntax/"));
}

test("heredocs and a cache mount colour correctly and give no syntax diagnostic", async ({ page }) => {
  await openApp(page);
  await setEditorText(page, CLEAN);
  const overlay = page.locator(".cm-content");
  await expect(overlay.locator(".tok-flag").filter({ hasText: "--mount" })).toHaveCount(1);
  const markers = (await overlay.locator(".tok-heredoc-marker").allTextContents()).join(" ");
  expect(markers).toContain("<<EOF");
  expect(markers).toContain("<<-EOT");
  const bodies = (await overlay.locator(".tok-heredoc").allTextContents()).join("");
  expect(bodies).toContain('echo "built at $(date)"');
  expect(bodies).toContain("debug = false");
  expect(await overlay.locator(".tok-keyword").allTextContents()).toEqual(
    expect.arrayContaining(["FROM", "WORKDIR", "RUN", "COPY", "CMD"]),
  );
  expect(await syntaxProblems(page)).toEqual([]);
});

test("the founding guide's uv example has no syntax diagnostic", async ({ page }) => {
  await openApp(page);
  await page.getByRole("button", { name: "Examples", exact: true }).click();
  const gallery = page.getByRole("dialog", { name: "Examples" });
  await gallery.getByRole("button", { name: "Replace the current snippet with Multi-stage with uv" }).click();
  await expect(gallery).toBeHidden();
  await expectEditorText(page, /uv sync --locked/);
  await expect(page.locator(".cm-content .tok-flag").filter({ hasText: "--mount" }).first()).toBeVisible();
  expect(await syntaxProblems(page)).toEqual([]);
});

test("an unterminated heredoc gives one diagnostic at its line", async ({ page }) => {
  await openApp(page);
  await setEditorText(page, "FROM alpine:3.20\nRUN echo ok\nRUN <<EOF\necho never closed\n");
  const problems = await syntaxProblems(page);
  expect(problems).toHaveLength(1);
  expect(problems[0].pos).toMatch(/^3:\d+$/);
});
