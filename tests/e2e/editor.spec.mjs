// Issue 18: the editor (CodeMirror 6). Pasted files show the right lines wherever the user
// scrolls and typing lands at the caret; fixes and refactors are undoable steps whose undo
// restores the exact text (and autosave stores it); find/replace, files, and the editing basics.
import { test, expect, openApp, editorText, expectEditorText, pasteText, editorContent } from "./fixtures.mjs";

/** `n` numbered lines, each different, in a Dockerfile that parses. */
function numbered(n) {
  const lines = ["# syntax=docker/dockerfile:1", "FROM debian:bookworm AS base"];
  for (let i = lines.length + 1; i <= n; i++) {
    lines.push(i % 10 === 0 ? `# line ${i}: a comment` : `RUN echo "line ${i}" && true`);
  }
  return lines.join("\n") + "\n";
}

/** What the active snippet's autosave holds. */
async function stored(page) {
  return page.evaluate(() => {
    const library = JSON.parse(localStorage.getItem("stageplay.snippets"));
    return JSON.parse(localStorage.getItem(`stageplay.snippet.${library.active}`));
  });
}

/** Waits for the debounced autosave, then checks it holds `text`. */
async function expectStored(page, text) {
  await expect.poll(() => stored(page), { timeout: 5000 }).toBe(text);
}

/**
 * Checks what is on screen against the scroll position, independently of the editor's own
 * bookkeeping: at several heights of the visible area, the text line and the line number
 * there are the document's line at that height (lines are one fixed height; nothing wraps).
 * Returns the first and last line numbers seen.
 */
async function expectScreenMatchesScroll(page) {
  // Let the editor finish its measure cycle (it runs in animation frames after a scroll).
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const seen = await page.evaluate(() => {
    const view = document.querySelector(".editor").editorView;
    const scroller = view.scrollDOM;
    const content = view.contentDOM;
    const box = scroller.getBoundingClientRect();
    const lineHeight = view.defaultLineHeight;
    const paddingTop = parseFloat(getComputedStyle(content).paddingTop);
    const contentLeft = content.getBoundingClientRect().left;
    const gutter = document.querySelector(".cm-lineNumbers").getBoundingClientRect();
    const doc = view.state.doc;
    const rows = [];
    for (let probe = box.top + 4; probe < box.bottom - 4; probe += lineHeight * 3.1) {
      const expected = Math.floor((probe - box.top + scroller.scrollTop - paddingTop) / lineHeight) + 1;
      if (expected < 1 || expected > doc.lines) continue;
      // The middle of that line on screen (away from sub-pixel edges).
      const y = box.top - scroller.scrollTop + paddingTop + (expected - 0.5) * lineHeight;
      if (y < box.top || y > box.bottom) continue;
      const at = document.elementFromPoint(contentLeft + 2, y);
      const line = at && at.closest(".cm-line");
      const number = document.elementFromPoint(gutter.left + gutter.width / 2, y);
      rows.push({
        expected,
        want: doc.line(expected).text,
        got: line ? line.textContent : null,
        number: number ? number.textContent.trim() : null,
      });
    }
    return rows;
  });
  expect(seen.length, "visible lines were sampled").toBeGreaterThan(3);
  for (const row of seen) {
    expect(row.got, `text on screen at line ${row.expected}`).toBe(row.want);
    expect(row.number, `line number on screen at line ${row.expected}`).toBe(String(row.expected));
  }
  return [seen[0].expected, seen[seen.length - 1].expected];
}

/** Types `marker` and checks it landed where the caret was, on a line that is on screen. */
async function expectTypingAtCaret(page, marker) {
  const before = await page.evaluate(() => {
    const view = document.querySelector(".editor").editorView;
    return { head: view.state.selection.main.head, text: view.state.doc.toString() };
  });
  await page.keyboard.type(marker);
  const after = await editorText(page);
  expect(after).toBe(before.text.slice(0, before.head) + marker + before.text.slice(before.head));
  const line = page.locator(".cm-line", { hasText: marker });
  await expect(line).toBeInViewport();
  const [cursor, row] = await Promise.all([page.locator(".cm-cursor-primary").boundingBox(), line.boundingBox()]);
  expect(cursor.y).toBeGreaterThanOrEqual(row.y - 2);
  expect(cursor.y + cursor.height).toBeLessThanOrEqual(row.y + row.height + 2);
  // Take the marker out again, so the next check sees the pasted lines.
  for (let i = 0; i < marker.length; i++) await page.keyboard.press("Backspace");
  await expectEditorText(page, before.text);
}

async function pasteFile(page, text) {
  await editorContent(page).click();
  await page.keyboard.press("Control+A");
  await pasteText(page, text);
  await expectEditorText(page, text, { timeout: 20_000 });
}

for (const lines of [187, 20_000]) {
  test(`paste a ${lines}-line file; PageDown, PageUp, Ctrl+End and the wheel show the lines at the scroll position and typing lands at the caret`, async ({ page }) => {
    test.setTimeout(120_000);
    await openApp(page);
    const text = numbered(lines);
    await pasteFile(page, text);
    await expect(page.locator(".cm-content .tok-keyword").first()).toBeVisible({ timeout: 30_000 });
    // After the paste the caret is at the end.
    let [, last] = await expectScreenMatchesScroll(page);
    expect(last).toBeGreaterThanOrEqual(lines - 2);
    await expectTypingAtCaret(page, "Q1");

    await page.keyboard.press("Control+Home");
    await page.keyboard.press("PageDown");
    await page.keyboard.press("PageDown");
    let [first] = await expectScreenMatchesScroll(page);
    expect(first).toBeGreaterThan(20);
    await expectTypingAtCaret(page, "Q2");

    await page.keyboard.press("PageUp");
    const [afterUp] = await expectScreenMatchesScroll(page);
    expect(afterUp).toBeLessThan(first);
    await expectTypingAtCaret(page, "Q3");

    await page.keyboard.press("Control+End");
    [, last] = await expectScreenMatchesScroll(page);
    expect(last).toBeGreaterThanOrEqual(lines - 2);
    await expectTypingAtCaret(page, "Q4");

    // The wheel scrolls without moving the caret: the screen follows the scroll position.
    await page.keyboard.press("Control+Home");
    const box = await editorContent(page).boundingBox();
    await page.mouse.move(box.x + 100, box.y + 100);
    await page.mouse.wheel(0, 1500);
    await expect.poll(() => page.evaluate(() => document.querySelector(".cm-scroller").scrollTop)).toBeGreaterThan(1000);
    await page.waitForTimeout(200);
    [first] = await expectScreenMatchesScroll(page);
    expect(first).toBeGreaterThan(40);
    // Click a line on screen (an echo, not a comment line) and type there.
    const target = (first + 5) % 10 === 0 ? first + 6 : first + 5;
    await page.locator(".cm-line", { hasText: `"line ${target}"` }).click();
    await expectTypingAtCaret(page, "Q5");
  });
}

const SOURCE = "FROM debian:bookworm\nRUN apt-get update && apt-get install gcc\nCOPY . /app\nCMD python /app/main.py\n";
const FIXED = SOURCE.replace("apt-get install gcc", "apt-get install -y gcc");

/** Opens the app and pastes `text` over its text; returns the text before. */
async function pasted(page, text) {
  await openApp(page);
  const before = await editorText(page);
  await pasteFile(page, text);
  await expectStored(page, text);
  return before;
}

test("Fix all safe, then Ctrl+Z restores the exact text and autosave holds it; Ctrl+Shift+Z redoes", async ({ page }) => {
  const before = await pasted(page, SOURCE);
  await page.getByRole("tab", { name: /^Problems/ }).click();
  await page.locator(".fix-all").click();
  await expectEditorText(page, FIXED);
  await expectStored(page, FIXED);
  // The focus is in the Problems pane, not the editor: Ctrl+Z still undoes the fix.
  await page.keyboard.press("Control+z");
  await expectEditorText(page, SOURCE);
  await expectStored(page, SOURCE);
  await page.keyboard.press("Control+Shift+Z");
  await expectEditorText(page, FIXED);
  await expectStored(page, FIXED);
  // In the editor too, one undo step is exactly the fix (not the paste before it).
  await editorContent(page).click();
  await page.keyboard.press("Control+z");
  await expectEditorText(page, SOURCE);
  await page.keyboard.press("Control+z");
  await expectEditorText(page, before);
  await page.keyboard.press("Control+y");
  await expectEditorText(page, SOURCE);
  await expectStored(page, SOURCE);
});

test("a quick fix is one undo step, and typing after it is another", async ({ page }) => {
  await pasted(page, SOURCE);
  await page.getByRole("tab", { name: /^Problems/ }).click();
  await page.locator(".problem[data-code='JSONArgsRecommended'] .fix-button").click();
  const fixed = SOURCE.replace("CMD python /app/main.py", 'CMD ["python", "/app/main.py"]');
  await expectEditorText(page, fixed);
  await page.keyboard.press("Control+z");
  await expectEditorText(page, SOURCE);
  await page.keyboard.press("Control+Shift+Z");
  await expectEditorText(page, fixed);
  await editorContent(page).click();
  await page.keyboard.press("Control+End");
  await page.keyboard.type("USER app");
  await expectEditorText(page, fixed + "USER app");
  await page.keyboard.press("Control+z");
  await expectEditorText(page, fixed);
  await page.keyboard.press("Control+z");
  await expectEditorText(page, SOURCE);
  await expectStored(page, SOURCE);
});

test("Apply and Apply all, each followed by Ctrl+Z, restore the exact text; the pane's Undo agrees with the editor", async ({ page }) => {
  await openApp(page);
  await page.getByRole("button", { name: "Examples", exact: true }).click();
  await page.getByRole("button", { name: "Replace the current snippet with Single-stage Python (before)" }).click();
  await expectEditorText(page, /^# A single-stage FastAPI image/);
  const original = await editorText(page);
  await expectStored(page, original);
  await page.getByRole("tab", { name: /^Suggestions/ }).click();

  await page.locator('.suggestion[data-id="split-stage"] .sg-apply').click();
  await expect.poll(() => editorText(page)).toContain("AS builder");
  const applied = await editorText(page);
  await page.keyboard.press("Control+z");
  await expectEditorText(page, original);
  await expectStored(page, original);
  await page.keyboard.press("Control+Shift+Z");
  await expectEditorText(page, applied);
  // The pane's Undo is the editor's undo: Ctrl+Shift+Z redoes it.
  await page.locator(".sg-undo-button").click();
  await expectEditorText(page, original);
  await page.keyboard.press("Control+Shift+Z");
  await expectEditorText(page, applied);
  await page.keyboard.press("Control+z");
  await expectEditorText(page, original);

  await page.locator(".sg-apply-all").click();
  await expect.poll(() => editorText(page)).toMatch(/^USER /m);
  const all = await editorText(page);
  await expectStored(page, all);
  await page.keyboard.press("Control+z");
  await expectEditorText(page, original);
  await expectStored(page, original);
  await page.keyboard.press("Control+Shift+Z");
  await expectEditorText(page, all);
  await expectStored(page, all);
});

test("find and replace", async ({ page }) => {
  await pasted(page, "FROM python:3.12-slim AS build\nRUN pip install app\nFROM python:3.12-slim\nCOPY --from=build /app /app\n");
  await page.keyboard.press("Control+f");
  const find = page.getByRole("textbox", { name: "Find" });
  await expect(find).toBeFocused();
  await find.pressSequentially("python:3.12-slim");
  await page.getByRole("textbox", { name: "Replace" }).pressSequentially("python:3.13-slim");
  await page.getByRole("button", { name: "replace all" }).click();
  await expectEditorText(page, "FROM python:3.13-slim AS build\nRUN pip install app\nFROM python:3.13-slim\nCOPY --from=build /app /app\n");
  // Next match, then Escape closes the panel and the editor has the focus again.
  await find.fill("");
  await find.pressSequentially("app");
  await find.press("Enter");
  const head = await page.evaluate(() => document.querySelector(".editor").editorView.state.selection.main);
  expect((await editorText(page)).slice(head.from, head.to)).toBe("app");
  await page.keyboard.press("Escape");
  await expect(page.locator(".cm-search")).toHaveCount(0);
  await expect(editorContent(page)).toBeFocused();
  // Replacing is undoable like typing.
  await page.keyboard.press("Control+z");
  await expectEditorText(page, "FROM python:3.12-slim AS build\nRUN pip install app\nFROM python:3.12-slim\nCOPY --from=build /app /app\n");
});

test("open a Dockerfile with the file picker and by dropping it: each opens as a snippet", async ({ page }) => {
  await openApp(page);
  const draft = await editorText(page);
  const picked = "FROM golang:1.23 AS build\nRUN go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\n";
  await page.locator("#open-file").setInputFiles({ name: "Dockerfile.go", mimeType: "text/plain", buffer: Buffer.from(picked) });
  await expectEditorText(page, picked);
  await expect(page.locator("#snippet-select option:checked")).toHaveText("Dockerfile.go");
  await expectStored(page, picked);
  // Undo does not bring another document's text into this one.
  await editorContent(page).click();
  await page.keyboard.press("Control+z");
  await expectEditorText(page, picked);

  const dropped = "FROM node:22-slim\nWORKDIR /app\nCOPY . .\nCMD [\"node\", \"server.js\"]\n";
  const transfer = await page.evaluateHandle((text) => {
    const data = new DataTransfer();
    data.items.add(new File([text], "Dockerfile.node", { type: "text/plain" }));
    return data;
  }, dropped);
  await editorContent(page).dispatchEvent("dragover", { dataTransfer: transfer });
  await editorContent(page).dispatchEvent("drop", { dataTransfer: transfer });
  // Opened as a snippet of its own, not inserted into the text under the mouse.
  await expectEditorText(page, dropped);
  await expect(page.locator("#snippet-select option:checked")).toHaveText("Dockerfile.node");
  await expectStored(page, dropped);
  await page.locator("#snippet-select").selectOption({ label: "Draft" });
  await expectEditorText(page, draft);
  // The picker again with the same file opens the snippet that holds it.
  await page.locator("#open-file").setInputFiles({ name: "Dockerfile.go", mimeType: "text/plain", buffer: Buffer.from(picked) });
  await expectEditorText(page, picked);
  await expect(page.locator("#snippet-select option")).toHaveCount(3);
  // A binary file is refused with a message.
  await page.locator("#open-file").setInputFiles({ name: "image.png", mimeType: "image/png", buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]) });
  await expect(page.locator(".notice")).toContainText("not a text file");
  await expectEditorText(page, picked);
});

test("editing basics: indent after \\, brackets, comment toggle, Tab and Shift+Tab, Escape then Tab leaves", async ({ page }) => {
  await pasted(page, "FROM alpine:3.20\n");
  await page.keyboard.press("Control+End");
  await page.keyboard.type("RUN apk add \\");
  await page.keyboard.press("Enter");
  await page.keyboard.type("curl");
  await page.keyboard.press("Enter");
  await page.keyboard.type("CMD [");
  await expectEditorText(page, "FROM alpine:3.20\nRUN apk add \\\n    curl\nCMD []");
  await page.keyboard.type('"sh"]');
  await expectEditorText(page, 'FROM alpine:3.20\nRUN apk add \\\n    curl\nCMD ["sh"]');
  // Ctrl+/ comments the line out and back in.
  await page.keyboard.press("Control+/");
  await expectEditorText(page, 'FROM alpine:3.20\nRUN apk add \\\n    curl\n# CMD ["sh"]');
  await page.keyboard.press("Control+/");
  await expectEditorText(page, 'FROM alpine:3.20\nRUN apk add \\\n    curl\nCMD ["sh"]');
  // Tab indents the line, Shift+Tab dedents it; focus stays in the editor.
  await page.keyboard.press("Tab");
  await expectEditorText(page, 'FROM alpine:3.20\nRUN apk add \\\n    curl\n    CMD ["sh"]');
  await page.keyboard.press("Shift+Tab");
  await expectEditorText(page, 'FROM alpine:3.20\nRUN apk add \\\n    curl\nCMD ["sh"]');
  await expect(editorContent(page)).toBeFocused();
  // Escape, then Tab: the focus moves on and the text is unchanged.
  await page.keyboard.press("Escape");
  await page.keyboard.press("Tab");
  await expect(editorContent(page)).not.toBeFocused();
  await expectEditorText(page, 'FROM alpine:3.20\nRUN apk add \\\n    curl\nCMD ["sh"]');
});

test("multiple cursors, folding a stage, and hover docs on keywords", async ({ page }) => {
  await pasted(page, "FROM alpine:3.20 AS first\nRUN echo one\nRUN echo two\nFROM first\nRUN echo one\n");
  // Ctrl+D adds the next occurrence; typing changes both.
  await page.keyboard.press("Control+Home");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("End");
  await page.keyboard.press("Control+Shift+ArrowLeft");
  await page.keyboard.press("Control+d");
  await page.keyboard.type("uno");
  await expectEditorText(page, "FROM alpine:3.20 AS first\nRUN echo uno\nRUN echo two\nFROM first\nRUN echo uno\n");
  // The first stage folds from the gutter: its instructions are hidden, its FROM stays.
  await expect(page.locator(".cm-foldGutter .cm-gutterElement span[title='Fold line']").first()).toBeVisible();
  await page.locator(".cm-foldGutter .cm-gutterElement span[title='Fold line']").first().click();
  await expect(page.locator(".cm-foldPlaceholder")).toBeVisible();
  await expect(page.locator(".cm-line", { hasText: "RUN echo two" })).toHaveCount(0);
  await expect(page.locator(".cm-line", { hasText: "FROM alpine:3.20 AS first" })).toBeVisible();
  // Hovering an instruction keyword shows the engine's documentation of it.
  await page.locator(".cm-content .tok-keyword", { hasText: "FROM" }).first().hover();
  await expect(page.locator(".cm-tooltip .hover-tip")).toContainText("Starts a build stage");
  await expect(page.locator(".cm-tooltip .hover-tip pre")).toContainText("FROM [--platform=<platform>]");
});

/** The cursor's line and the selected text. */
async function selection(page) {
  return page.evaluate(() => {
    const view = document.querySelector(".editor").editorView;
    const { from, to, head } = view.state.selection.main;
    return { line: view.state.doc.lineAt(head).number, text: view.state.sliceDoc(from, to) };
  });
}

/** Puts the cursor `offset` characters into the first occurrence of `needle`. */
async function placeCursor(page, needle, offset = 1) {
  await page.evaluate(
    ([needle, offset]) => {
      const view = document.querySelector(".editor").editorView;
      const at = view.state.doc.toString().indexOf(needle) + offset;
      view.dispatch({ selection: { anchor: at } });
      view.focus();
    },
    [needle, offset],
  );
}

const STAGES = "FROM golang:1.23 AS builder\nRUN go build -o /app .\nFROM alpine:3.20 AS tools\nRUN apk add curl\nFROM scratch\n";

test("completion offers WORKDIR after WORK and the stage names after --from=, from the engine", async ({ page }) => {
  await pasted(page, STAGES);
  await page.keyboard.press("Control+End");
  await page.keyboard.type("WORK");
  const list = page.locator(".cm-tooltip-autocomplete");
  await expect(list.getByRole("option", { name: /WORKDIR/ })).toBeVisible();
  // CodeMirror ignores Enter for 75 ms after the list appears (so a fast typist's Enter stays a
  // new line); a person sees the list first.
  await page.waitForTimeout(200);
  await page.keyboard.press("Enter");
  await expect.poll(() => editorText(page)).toMatch(/\nWORKDIR \S*$/);
  // Ctrl+Space asks explicitly; after --from= the stages defined above are offered.
  await page.keyboard.press("Control+a");
  await pasteText(page, STAGES + "COPY --from=");
  await expectEditorText(page, STAGES + "COPY --from=");
  await page.keyboard.press("Control+End");
  await page.keyboard.press("Control+Space");
  await expect(list.getByRole("option", { name: /^builder/ })).toBeVisible();
  await expect(list.getByRole("option", { name: /^tools/ })).toBeVisible();
  await page.keyboard.type("bu");
  await expect(list.getByRole("option")).toHaveCount(1);
  await page.waitForTimeout(200);
  await page.keyboard.press("Enter");
  await expect.poll(() => editorText(page)).toMatch(/COPY --from=builder/);
});

test("F12 goes to the stage's definition; F2 renames it everywhere, as one undo step", async ({ page }) => {
  const text = STAGES + "COPY --from=builder /app /app\nCOPY --from=tools /usr/bin/curl /curl\n";
  await pasted(page, text);
  await placeCursor(page, "--from=builder", "--from=bu".length);
  await page.keyboard.press("F12");
  await expect.poll(() => selection(page)).toEqual({ line: 1, text: "builder" });
  // Rename from the use: every reference changes, and the definition.
  await placeCursor(page, "--from=tools", "--from=to".length);
  await page.keyboard.press("F2");
  const name = page.getByRole("textbox", { name: "New name" });
  await expect(name).toBeFocused();
  await expect(name).toHaveValue("tools");
  await name.fill("curl-tools");
  await name.press("Enter");
  const renamed = text.replaceAll("tools", "curl-tools").replace("/usr/bin/curl-tools", "/usr/bin/curl");
  await expectEditorText(page, renamed);
  await expect(page.locator(".cm-rename")).toHaveCount(0);
  await expect(editorContent(page)).toBeFocused();
  await expectStored(page, renamed);
  await page.keyboard.press("Control+z");
  await expectEditorText(page, text);
  // Where there is nothing to rename, the panel says so and Escape closes it.
  await placeCursor(page, "go build", 1);
  await page.keyboard.press("F2");
  await expect(page.locator(".cm-rename-message")).toContainText("Cannot rename here");
  await page.keyboard.press("Escape");
  await expect(page.locator(".cm-rename")).toHaveCount(0);
  await expectEditorText(page, text);
});

test("Format (button and Shift+Alt+F) is one undo step; autosave holds what the editor shows", async ({ page }) => {
  const messy = "from alpine:3.20 as base\nrun apk add curl \\\n  git\n\n\n\ncopy . /app\n";
  const formatted = "FROM alpine:3.20 AS base\nRUN apk add curl \\\n    git\n\nCOPY . /app\n";
  await pasted(page, messy);
  await page.getByRole("button", { name: "Format", exact: true }).click();
  await expectEditorText(page, formatted);
  await expectStored(page, formatted);
  await page.keyboard.press("Control+z");
  await expectEditorText(page, messy);
  await expectStored(page, messy);
  // The keyboard shortcut, from inside the editor.
  await editorContent(page).click();
  await page.keyboard.press("Shift+Alt+F");
  await expectEditorText(page, formatted);
  // Formatted already: the text stays and a notice says so.
  await page.keyboard.press("Shift+Alt+F");
  await expect(page.locator(".notice")).toContainText("formatted already");
  await expectEditorText(page, formatted);
});

test("a first visit says how to bring a Dockerfile in; the guide the sample follows is readable in the app", async ({ page }) => {
  await openApp(page);
  const hint = page.getByRole("note");
  await expect(hint).toContainText("Paste your Dockerfile here, drop a file on the page, or use Open file");
  // The guide opens in the app, whole, named for what it is.
  await page.getByRole("button", { name: "Guide", exact: true }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByRole("heading", { name: "Multi-stage build guide" })).toBeVisible();
  await expect(dialog.getByRole("heading", { name: "Basic Multi-Stage Pattern" })).toBeVisible();
  await expect(dialog.locator(".guide pre").first()).toContainText("FROM python:3.12-slim AS builder");
  await expect(dialog.locator(".guide table").first()).toContainText("Smaller images");
  await page.keyboard.press("Escape");
  // The first edit (or "Got it") retires the hint; it does not come back on reload.
  await editorContent(page).click();
  await page.keyboard.press("Control+End");
  await page.keyboard.type("# mine");
  await expect(hint).toHaveCount(0);
  await page.reload();
  await expect(editorContent(page)).toContainText("# mine");
  await expect(page.getByRole("note")).toHaveCount(0);
});
