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

/** The editor's content element (CodeMirror's contenteditable). */
export const editorContent = (page) => page.locator(".editor .cm-content");

/** Opens the app and waits for the first analysed render. */
export async function openApp(page, path = "/") {
  await page.goto(path);
  await expect(editorContent(page)).toBeVisible();
  await expect(page.locator(".cm-content .tok-keyword").first()).toBeVisible();
}

/**
 * The editor's document, read from the CodeMirror view the bridge hangs on `.editor`. `scope`
 * is a page or a frame locator.
 */
export async function editorText(scope) {
  return scope.locator(".editor").evaluate((el) => el.editorView.state.doc.toString());
}

/** The editor's cursor as a UTF-16 offset. */
export async function editorCaret(scope) {
  return scope.locator(".editor").evaluate((el) => el.editorView.state.selection.main.head);
}

/** Focuses the editor and puts the cursor at `pos` (a UTF-16 offset). */
export async function setEditorCaret(scope, pos) {
  await scope.locator(".editor").evaluate((el, pos) => {
    el.editorView.focus();
    el.editorView.dispatch({ selection: { anchor: pos }, scrollIntoView: true });
  }, pos);
}

/** Sets the editor's whole text in one user transaction (as a script or extension would). */
export async function replaceEditorText(scope, text) {
  await scope.locator(".editor").evaluate((el, text) => {
    const view = el.editorView;
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text }, userEvent: "input.paste" });
  }, text);
}

/** Waits until the editor holds `text` (a string or a RegExp). */
export async function expectEditorText(scope, text, options = {}) {
  const poll = expect.poll(() => editorText(scope), options);
  if (text instanceof RegExp) await poll.toMatch(text);
  else await poll.toBe(text);
}

/** Replaces the editor's text by typing-equivalent input (select all, insert). */
export async function setEditorText(page, text) {
  await editorContent(page).click();
  await page.keyboard.press("Control+A");
  await page.keyboard.insertText(text);
}

/** Pastes `text` into the focused editor as the browser does (a paste event with clipboard data). */
export async function pasteText(page, text) {
  await editorContent(page).evaluate((el, text) => {
    const data = new DataTransfer();
    data.setData("text/plain", text);
    el.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}
