// Browser timings for `cargo xtask bench` (runs only with STAGEPLAY_BENCH=1; see playwright.config.mjs).
// Inputs come from the same generator as the native benchmark (STAGEPLAY_BENCH_FIXTURES); the
// results go to STAGEPLAY_BENCH_OUT as JSON, which xtask turns into rows of its table.
import fs from "node:fs";
import path from "node:path";
import { test, expect, openApp } from "./fixtures.mjs";

const quick = process.env.STAGEPLAY_BENCH_QUICK === "1";
const fixtures = process.env.STAGEPLAY_BENCH_FIXTURES;
const outFile = process.env.STAGEPLAY_BENCH_OUT;
const results = {};

test.describe.configure({ mode: "serial" });
test.setTimeout(600_000);

test.afterAll(() => {
  if (outFile) fs.writeFileSync(outFile, JSON.stringify(results, null, 2));
});

function fixture(name) {
  return fs.readFileSync(path.join(fixtures, name), "utf8");
}

function pct(samples, p) {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length, Math.max(1, Math.ceil((p / 100) * s.length))) - 1];
}

function summary(samples) {
  return { n: samples.length, p50: pct(samples, 50), p95: pct(samples, 95), max: pct(samples, 100) };
}

// Records when the first analysed render is complete: highlighted editor and a drawn graph.
const FIRST_RENDER = () => {
  const done = () =>
    document.querySelector(".cm-content .tok-keyword") && document.querySelector(".graph-pane svg");
  const observer = new MutationObserver(() => {
    if (window.__firstRender === undefined && done()) {
      window.__firstRender = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document, { childList: true, subtree: true });
};

test("navigation → first analysed render of the default example", async ({ browser }) => {
  const samples = [];
  const runs = quick ? 3 : 10;
  for (let i = 0; i < runs; i++) {
    // A fresh context each time: no HTTP cache and no service worker from an earlier run.
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.addInitScript(FIRST_RENDER);
    await openApp(page);
    await page.waitForFunction(() => window.__firstRender !== undefined);
    samples.push(await page.evaluate(() => window.__firstRender));
    await context.close();
  }
  results.first_render = summary(samples);
});

/**
 * Types `count` characters into the editor, one input event each, at `at` (a byte offset in an
 * ASCII text), and times each keystroke twice:
 * - `drawn`: the main-thread work before the browser can paint the typed character: the task of
 *   the input event up to the first macrotask after it (CodeMirror's update and whatever the app
 *   runs in that task and its microtasks), plus CodeMirror's own work in the next animation
 *   frame (its measure, which runs before this test's frame callback). The wait for that frame
 *   (vsync) is not counted, as it was not in the textarea's time this is compared with.
 * - `panes`: until the analysis panes and the editor's highlighting are updated: the later of
 *   the first macrotask and the last DOM mutation (outside CodeMirror's caret and selection
 *   layers) before the page is quiet. When the app analyses in a task of its own after the
 *   keystroke's frame, this includes the wait for that frame.
 */
async function keystrokes(page, at, count) {
  return page.evaluate(
    async ({ at, count }) => {
      const view = document.querySelector(".editor").editorView;
      let lastMutation = 0;
      // CodeMirror draws the caret and selection layers in the next animation frame, as the
      // browser paints a native caret; those mutations are not work the keystroke waits for.
      const inLayer = (node) => {
        const el = node.nodeType === 1 ? node : node.parentElement;
        return Boolean(el && el.closest(".cm-layer"));
      };
      const observer = new MutationObserver((records) => {
        if (records.some((r) => !inLayer(r.target))) lastMutation = performance.now();
      });
      observer.observe(document.querySelector(".app"), {
        childList: true,
        subtree: true,
        characterData: true,
        attributes: true,
      });
      const macrotask = () => new Promise((r) => setTimeout(r, 0));
      const drawn = [];
      const panes = [];
      for (let i = 0; i < count; i++) {
        const ch = "abcdefghijklmnopqrstuvwxyz"[i % 26];
        const pos = at + i;
        view.focus();
        view.dispatch({ selection: { anchor: pos } });
        await macrotask();
        await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
        const t0 = performance.now();
        // The browser's own insertion (as a typed key does): an edit of the editor's
        // contenteditable and one native input event, which CodeMirror reads.
        document.execCommand("insertText", false, ch);
        // Registered after CodeMirror's measure request, so it runs after it in that frame.
        const frame = new Promise((r) => requestAnimationFrame((start) => r({ start, end: performance.now() })));
        await macrotask();
        const first = performance.now();
        const { start, end } = await frame;
        drawn.push(end < first ? first - t0 : first - t0 + (end - start));
        // Wait until nothing changed for two quiet turns of 20 ms.
        let quiet = 0;
        while (quiet < 2) {
          const before = lastMutation;
          await new Promise((r) => setTimeout(r, 20));
          quiet = lastMutation === before ? quiet + 1 : 0;
        }
        panes.push(Math.max(first, lastMutation) - t0);
      }
      observer.disconnect();
      return { drawn, panes };
    },
    { at, count },
  );
}

/**
 * Puts `text` into the editor in one transaction (as a paste) and waits for the highlighted
 * render. Returns the milliseconds from the paste to the first highlighted keyword, timed inside
 * the page (polled every 20 ms with no Playwright call in between: Playwright's own polling of a
 * page with tens of thousands of elements costs seconds and would be timed with the app).
 */
async function load(page, text) {
  const ms = await page.evaluate(
    (text) =>
      new Promise((resolve, reject) => {
        const view = document.querySelector(".editor").editorView;
        const t0 = performance.now();
        // Replacing the whole text drops every highlight mark (CodeMirror maps them away in
        // the dispatch), so the next keyword drawn is the new text's analysis.
        view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text }, userEvent: "input.paste" });
        const poll = () => {
          if (document.querySelector(".cm-content .tok-keyword")) resolve(performance.now() - t0);
          // A large text is analysed after a pause; in wasm 1 MB takes seconds.
          else if (performance.now() - t0 > 120_000) reject(new Error("no highlighted keyword after 120 s"));
          else setTimeout(poll, 20);
        };
        poll();
      }),
    text,
  );
  await expect(page.locator(".cm-content .tok-keyword").first()).toBeVisible();
  return ms;
}

/** The offset just after `needle`'s first occurrence past the middle of `text`. */
function middleOf(text, needle) {
  const at = text.indexOf(needle, Math.floor(text.length / 2));
  return at < 0 ? Math.floor(text.length / 2) : at + needle.length;
}

test("keystroke → updated panes, 300-line Dockerfile", async ({ page }) => {
  const text = fixture("gen-300-lines.Dockerfile");
  await openApp(page);
  await load(page, text);
  await expect(page.locator(".graph-pane svg").first()).toBeVisible();
  const count = quick ? 15 : 50;
  // Typing inside an apt-get package list: every keystroke changes lint and estimate input.
  const graph = await keystrokes(page, middleOf(text, "libpq-dev"), count);
  results.keystroke_300 = summary(graph.drawn);
  results.keystroke_300_panes = summary(graph.panes);
  // The same with the Image pane open (the estimate drawn on each keystroke).
  await page.getByRole("tab", { name: /^Image/ }).click();
  await expect(page.locator(".image .pane-title").first()).toBeVisible();
  const image = await keystrokes(page, middleOf(text, "gcc"), quick ? 10 : 30);
  results.keystroke_300_image = summary(image.drawn);
  results.keystroke_300_image_panes = summary(image.panes);
});

test("keystroke → updated graph, 60-stage Dockerfile", async ({ page }) => {
  const text = fixture("gen-60-stages.Dockerfile");
  await openApp(page);
  await load(page, text);
  await expect(page.locator(".graph-pane svg").first()).toBeVisible();
  const samples = await keystrokes(page, middleOf(text, "/out/app"), quick ? 10 : 30);
  results.keystroke_60_stages = summary(samples.panes);
});

test("one keystroke in a large Dockerfile (does analysis block typing?)", async ({ page }) => {
  const big = fixture("gen-1mb.Dockerfile");
  // 256 KB and 1 MB (the first quarter and the whole generated file).
  const sizes = quick ? [big.slice(0, 262144)] : [big.slice(0, 262144), big];
  results.large = [];
  await openApp(page);
  for (const text of sizes) {
    const loadMs = await load(page, text);
    // A heartbeat every 5 ms records the longest time the main thread did not answer: the
    // typing itself and the analysis that runs once typing pauses.
    await page.evaluate(() => {
      window.__gap = 0;
      let last = performance.now();
      window.__beat = setInterval(() => {
        const now = performance.now();
        window.__gap = Math.max(window.__gap, now - last);
        last = now;
      }, 5);
    });
    const samples = (await keystrokes(page, middleOf(text, "libpq-dev"), 5)).drawn;
    // Let the deferred analysis run (it starts after a pause in typing) and finish.
    await page.waitForTimeout(400);
    await page.waitForFunction(() => document.querySelectorAll(".cm-content .tok-keyword").length > 0, null, { timeout: 120_000 });
    await page.waitForTimeout(200);
    const gap = await page.evaluate(() => {
      clearInterval(window.__beat);
      return window.__gap;
    });
    results.large.push({ bytes: text.length, load_ms: loadMs, keystroke_ms: Math.max(...samples), analysis_block_ms: gap });
  }
});
