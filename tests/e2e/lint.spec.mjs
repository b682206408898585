// Issue 6, acceptance 4: a single-stage Dockerfile that installs gcc shows the expected lint
// findings in the Problems pane and underlined in the editor; "Fix all safe" edits the text;
// each finding opens its rule's doc; the Rules reference is searchable and keyboard reachable.
import { test, expect, openApp, setEditorText, editorText, expectEditorText } from "./fixtures.mjs";

const SOURCE = "FROM debian:bookworm\nRUN apt-get update && apt-get install gcc\nCOPY . /app\nCMD python /app/main.py\n";

async function openProblems(page) {
  await openApp(page);
  await setEditorText(page, SOURCE);
  await page.getByRole("tab", { name: /^Problems/ }).click();
  await expect(page.locator(".problem[data-code='DL3008']")).toBeVisible();
}

test("apt-get install gcc: the expected findings in the Problems pane and underlined in the editor", async ({ page }) => {
  await openProblems(page);
  const codes = await page.locator(".problem").evaluateAll((els) => els.map((e) => e.dataset.code));
  for (const code of ["DL3008", "DL3009", "DL3014", "DL3015", "SP1001", "SP1007", "JSONArgsRecommended"]) {
    expect(codes, `finding ${code}`).toContain(code);
  }
  // Positions are line:column of the finding.
  await expect(page.locator(".problem[data-code='DL3008'] .problem-pos")).toHaveText("2:39");
  await expect(page.locator(".problem[data-code='JSONArgsRecommended'] .problem-pos")).toHaveText("4:1");
  await expect(page.locator(".problem[data-code='SP1001']")).toContainText("gcc");
  // The editor underlines them: warnings on lines 2-4 and an info (DL3009).
  await expect(page.locator(".cm-content .cm-lintRange-warning").first()).toBeVisible();
  await expect(page.locator(".cm-content .cm-lintRange-warning", { hasText: "gcc" }).first()).toBeVisible();
  await expect(page.locator(".cm-content .cm-lintRange-info").first()).toBeVisible();
  // Hovering an underline shows its message and code.
  await page.locator(".cm-content .cm-lintRange-warning", { hasText: "gcc" }).first().hover();
  await expect(page.locator(".cm-tooltip .cm-diagnostic-warning").filter({ hasText: "SP1001" })).toBeVisible();
});

test("fix buttons show their applicability and a preview of the change", async ({ page }) => {
  await openProblems(page);
  const dl3014 = page.locator(".problem[data-code='DL3014'] .problem-fix");
  await expect(dl3014.locator(".fix-applicability")).toHaveText("safe fix");
  await expect(page.locator(".problem[data-code='JSONArgsRecommended'] .fix-applicability")).toHaveText("unsafe fix");
  await expect(dl3014.locator(".fix-button")).toHaveAttribute("title", /\+ RUN apt-get update && apt-get install -y gcc/);
  await dl3014.locator(".fix-preview summary").click();
  await expect(dl3014.locator(".fix-diff .diff-del")).toHaveText("- RUN apt-get update && apt-get install gcc\n");
  await expect(dl3014.locator(".fix-diff .diff-ins")).toHaveText("+ RUN apt-get update && apt-get install -y gcc\n");
  // Applying one (unsafe) fix rewrites only its instruction.
  await page.locator(".problem[data-code='JSONArgsRecommended'] .fix-button").click();
  await expectEditorText(page, SOURCE.replace("CMD python /app/main.py", 'CMD ["python", "/app/main.py"]'));
});

test("Fix all safe edits the text and the fixed findings disappear", async ({ page }) => {
  await openProblems(page);
  await expect(page.locator(".problem[data-code='DL3014']")).toBeVisible();
  await page.locator(".fix-all").click();
  const value = await editorText(page);
  expect(value).toBe(SOURCE.replace("apt-get install gcc", "apt-get install -y gcc"));
  await expect(page.locator(".problem[data-code='DL3014']")).toHaveCount(0);
  // Unsafe fixes are not applied in bulk.
  await expect(page.locator(".problem[data-code='JSONArgsRecommended']")).toBeVisible();
  await expect(page.locator(".problem[data-code='DL3008']")).toBeVisible();
});

test("a finding opens its rule's doc, and the doc links to the Rules reference", async ({ page }) => {
  await openProblems(page);
  const finding = page.locator(".problem[data-code='DL3008']");
  await expect(finding.locator(".problem-doc")).toHaveCount(0);
  await finding.getByRole("button", { name: /DL3008 doc/ }).click();
  const doc = finding.locator(".problem-doc");
  await expect(doc).toBeVisible();
  await expect(doc.getByRole("heading", { name: "What it does" })).toBeVisible();
  await expect(doc).toContainText("without a pinned version");
  await expect(doc.locator("pre.doc-code").first()).toContainText("apt-get install -y --no-install-recommends curl");
  await doc.getByRole("button", { name: "Open in Rules reference" }).click();
  const reference = page.locator(".rules-reference");
  await expect(reference).toBeVisible();
  await expect(reference.locator(".rules-search")).toHaveValue("DL3008");
  await expect(reference.locator("#rule-DL3008 details")).toHaveJSProperty("open", true);
  await expect(reference.locator("#rule-DL3008 .rule-doc")).toContainText("Unpinned packages make builds unrepeatable");
});

test("the Rules reference lists every rule, is searchable and works with the keyboard", async ({ page }) => {
  await openApp(page);
  await page.getByRole("tab", { name: /^Problems/ }).click();
  const rulesButton = page.getByRole("button", { name: /^Rules \(\d+\)/ });
  const total = Number((await rulesButton.textContent()).match(/\((\d+)\)/)[1]);
  expect(total).toBeGreaterThanOrEqual(70);
  await rulesButton.focus();
  await page.keyboard.press("Enter");
  const reference = page.locator(".rules-reference");
  const search = reference.getByRole("searchbox", { name: "Search rules" });
  await expect(search).toBeFocused();
  await expect(reference.locator(".rule")).toHaveCount(total);
  await expect(reference.locator(".rules-count")).toHaveText(`${total} of ${total} rules`);
  // Every rule shows code, name, severity; BuildKit checks and DL mirrors name their source.
  await expect(reference.locator("#rule-StageNameCasing summary")).toContainText("stage-name-casing");
  // Search by words of the doc.
  await page.keyboard.type("pipefail");
  await expect(reference.locator("#rule-DL4006")).toBeVisible();
  const shown = await reference.locator(".rule").count();
  expect(shown).toBeLessThan(total);
  await search.fill("sp1001");
  await expect(reference.locator(".rule")).toHaveCount(1);
  // Tab from the search field to the rule's summary and open it with the keyboard.
  await page.keyboard.press("Tab");
  await expect(reference.locator("#rule-SP1001 summary")).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(reference.locator("#rule-SP1001 .rule-doc")).toBeVisible();
  await expect(reference.locator("#rule-SP1001 .rule-meta")).toContainText("Mirrors: Stageplay");
  // Nothing in a doc is markup from text: the code samples are text nodes.
  expect(await reference.locator("#rule-SP1001 .rule-doc script").count()).toBe(0);
  // Escape returns to the problems list.
  await page.keyboard.press("Escape");
  await expect(reference).toHaveCount(0);
  await expect(rulesButton).toBeVisible();
});
