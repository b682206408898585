// Issue 18, layout: the phone layout (editor or analysis, switched), the splitter between the
// editor and the analysis on wide screens, and the graph's default view on a 33-stage file.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { test, expect, openApp, editorText, editorCaret, setEditorCaret, replaceEditorText } from "./fixtures.mjs";

const PHONE = { width: 390, height: 844 };
const WIDE = { width: 1440, height: 900 };
const MONOREPO = readFileSync(fileURLToPath(new URL("./data/monorepo-33.Dockerfile", import.meta.url)), "utf8");
/** A stage's name is 12 px in the layout; on screen it must stay at least this big. */
const READABLE_PX = 10;

const box = (page, selector) => page.locator(selector).first().evaluate((el) => {
  const r = el.getBoundingClientRect();
  return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height };
});
const within = (inner, outer) =>
  inner.left >= outer.left - 0.5 && inner.right <= outer.right + 0.5 && inner.top >= outer.top - 0.5 && inner.bottom <= outer.bottom + 0.5;
/** The on-screen font size of an SVG text (its CSS size times the SVG's scale). */
const screenFontPx = (locator) => locator.evaluate((el) => el.getScreenCTM().a * parseFloat(getComputedStyle(el).fontSize));
const pageOverflow = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

test.describe("on a phone (390×844)", () => {
  test.use({ viewport: PHONE });

  test("the editor and the analysis switch, each with the screen's height; the graph stays in its pane", async ({ page }) => {
    await openApp(page);
    const editorTab = page.getByRole("tab", { name: "Editor", exact: true });
    const analysisTab = page.getByRole("tab", { name: /^Analysis/ });
    await expect(editorTab).toHaveAttribute("aria-selected", "true");
    await expect(page.locator(".side-pane")).toBeHidden();
    expect((await box(page, ".editor-pane")).height, "editor height").toBeGreaterThanOrEqual(600);
    expect(await pageOverflow(page), "page wider than the screen").toBeLessThanOrEqual(0);

    await analysisTab.click();
    await expect(analysisTab).toHaveAttribute("aria-selected", "true");
    await expect(page.locator(".editor-pane")).toBeHidden();
    const side = await box(page, ".side-pane");
    expect(side.height, "analysis height").toBeGreaterThanOrEqual(600);
    expect(side.bottom).toBeLessThanOrEqual(PHONE.height + 0.5);
    // The graph's box is inside its pane, the page does not scroll sideways, the target is in
    // view at a readable size.
    const pane = await box(page, ".pane");
    const viewport = await box(page, ".graph-viewport");
    expect(within(viewport, { ...pane, bottom: Infinity }), `graph ${JSON.stringify(viewport)} in pane ${JSON.stringify(pane)}`).toBe(true);
    expect(await pageOverflow(page)).toBeLessThanOrEqual(0);
    const target = page.locator(".graph-viewport .node-stage.target");
    await expect.poll(async () => within(await target.locator("rect").evaluate((el) => el.getBoundingClientRect().toJSON()), viewport)).toBe(true);
    expect(await screenFontPx(target.locator("text.label"))).toBeGreaterThanOrEqual(READABLE_PX);

    // A stage clicked in the graph shows the editor at its FROM line.
    const text = await editorText(page);
    await page.locator(".graph-viewport .node-stage.target").click();
    await expect(editorTab).toHaveAttribute("aria-selected", "true");
    await expect(page.locator(".editor-pane")).toBeVisible();
    expect(await editorCaret(page)).toBe(text.indexOf("FROM python:3.12-slim\n"));
    // The editor measured itself again after being hidden: its lines are on screen and typing
    // lands at the caret.
    await expect(page.locator(".cm-line").filter({ hasText: "FROM python:3.12-slim" }).last()).toBeInViewport();
    await page.keyboard.type("# here\n");
    expect(await editorText(page)).toBe(text.replace("FROM python:3.12-slim\n", "# here\nFROM python:3.12-slim\n"));
  });

  test("the switch works by keyboard, and Alt+digit shows the analysis", async ({ page }) => {
    await openApp(page);
    const editorTab = page.getByRole("tab", { name: "Editor", exact: true });
    await editorTab.focus();
    await page.keyboard.press("ArrowRight");
    await expect(page.getByRole("tab", { name: /^Analysis/ })).toBeFocused();
    await expect(page.locator(".side-pane")).toBeVisible();
    await page.keyboard.press("ArrowLeft");
    await expect(editorTab).toBeFocused();
    await expect(page.locator(".editor-pane")).toBeVisible();
    await expect(page.locator(".side-pane")).toBeHidden();
    await page.keyboard.press("Alt+4");
    await expect(page.locator("#pane-problems")).toBeVisible();
    await expect(page.locator(".editor-pane")).toBeHidden();
    // No splitter on a phone; the header is one row of tools.
    await expect(page.getByRole("separator")).toBeHidden();
    expect((await box(page, ".topbar")).height).toBeLessThanOrEqual(60);
  });

  test("the 33-stage graph opens on its target at a readable size, inside the pane", async ({ page }) => {
    await openApp(page);
    await replaceEditorText(page, MONOREPO);
    await page.getByRole("tab", { name: /^Analysis/ }).click();
    await expectTargetShown(page, "release");
    const pane = await box(page, ".pane");
    expect(within(await box(page, ".graph-viewport"), { ...pane, bottom: Infinity })).toBe(true);
    expect(await pageOverflow(page)).toBeLessThanOrEqual(0);
  });
});

/**
 * The graph holds 33 stages; `name` is the target, fully inside the graph's viewport, its name at
 * a readable size; `edges` lines end at it, and at least `deps` other nodes are at least partly in
 * view.
 */
async function expectTargetShown(page, name, { deps = 1, edges = 9 } = {}) {
  const graph = page.locator(".graph-viewport svg");
  await expect(graph.locator(".node-stage")).toHaveCount(33);
  const target = graph.locator(".node-stage.target");
  await expect(target).toContainText(name);
  await expect.poll(() => page.evaluate(() => {
    const vp = document.querySelector(".graph-viewport").getBoundingClientRect();
    const n = document.querySelector(".graph-viewport .node-stage.target rect").getBoundingClientRect();
    return n.left >= vp.left && n.right <= vp.right && n.top >= vp.top && n.bottom <= vp.bottom;
  }), `${name} is inside the graph viewport`).toBe(true);
  expect(await screenFontPx(target.locator("text.label"))).toBeGreaterThanOrEqual(READABLE_PX);
  // Its direct dependencies: the nodes at the start of the edges into it.
  const seen = await page.evaluate(() => {
    const vp = document.querySelector(".graph-viewport").getBoundingClientRect();
    const t = document.querySelector(".graph-viewport .node-stage.target rect").getBoundingClientRect();
    const into = [...document.querySelectorAll(".graph-viewport .edge path.edge-line")].filter((p) => {
      const end = p.getPointAtLength(p.getTotalLength());
      const m = p.getScreenCTM();
      const x = end.x * m.a + m.e, y = end.y * m.d + m.f;
      return Math.abs(x - t.left) < 12 && y >= t.top - 1 && y <= t.bottom + 1;
    }).length;
    const visibleSources = [...document.querySelectorAll(".graph-viewport .node:not(.target) rect")].filter((r) => {
      const b = r.getBoundingClientRect();
      return b.right > vp.left && b.left < vp.right && b.bottom > vp.top && b.top < vp.bottom;
    }).length;
    return { into, visibleSources };
  });
  expect(seen.into, "edges into the target").toBe(edges);
  expect(seen.visibleSources, "other nodes in view").toBeGreaterThanOrEqual(deps);
}

test.describe("on a wide screen (1440×900)", () => {
  test.use({ viewport: WIDE });

  test("the splitter moves by keyboard, pointer and double-click; the width survives a reload", async ({ page }) => {
    await openApp(page);
    const splitter = page.getByRole("separator", { name: "Resize the editor and the analysis" });
    await expect(splitter).toHaveAttribute("aria-valuenow", "50");
    await expect(page.locator(".view-switch")).toBeHidden();
    const editorShare = async () => {
      const [e, w] = await Promise.all([box(page, ".editor-pane"), box(page, ".workspace")]);
      return (e.width / w.width) * 100;
    };
    expect(await editorShare()).toBeCloseTo(50, 0);

    // Keyboard: 2% per arrow, 10% with Shift.
    await splitter.focus();
    for (let i = 0; i < 5; i++) await page.keyboard.press("ArrowLeft");
    await expect(splitter).toHaveAttribute("aria-valuenow", "40");
    await page.keyboard.press("Shift+ArrowLeft");
    await expect(splitter).toHaveAttribute("aria-valuenow", "30");
    await expect.poll(editorShare).toBeCloseTo(30, 0);
    await expect.poll(() => page.evaluate(() => Number(localStorage.getItem("stageplay.split")))).toBe(30);

    // CodeMirror measured its new width: the end of a long line is shown where the caret is.
    const long = `RUN echo ${"x".repeat(300)}\n`;
    await replaceEditorText(page, long + (await editorText(page)));
    await setEditorCaret(page, 0);
    await page.keyboard.press("End");
    const caretInView = await page.evaluate(() => {
      const view = document.querySelector(".editor").editorView;
      const caret = view.coordsAtPos(view.state.selection.main.head);
      const scroller = view.scrollDOM.getBoundingClientRect();
      return caret && caret.left >= scroller.left && caret.right <= scroller.right + 1;
    });
    expect(caretInView, "caret on screen after End").toBe(true);

    await page.reload();
    await expect(page.locator(".editor .cm-content")).toBeVisible();
    await expect(splitter).toHaveAttribute("aria-valuenow", "30");
    expect(await editorShare()).toBeCloseTo(30, 0);

    // Pointer drag to 70% of the width (the workspace starts at the page's left edge).
    const s = await splitter.boundingBox();
    await page.mouse.move(s.x + s.width / 2, s.y + s.height / 2);
    await page.mouse.down();
    await page.mouse.move(0.7 * WIDE.width, s.y + s.height / 2, { steps: 8 });
    await page.mouse.up();
    await expect(splitter).toHaveAttribute("aria-valuenow", "70");
    await expect.poll(editorShare).toBeCloseTo(70, 0);
    await expect.poll(() => page.evaluate(() => Number(localStorage.getItem("stageplay.split")))).toBeCloseTo(70, 0);
    // Bounds.
    await splitter.focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press("PageDown");
    await expect(splitter).toHaveAttribute("aria-valuenow", "80");

    // Double-click resets, and so does Home.
    await splitter.dblclick();
    await expect(splitter).toHaveAttribute("aria-valuenow", "50");
    await expect.poll(() => page.evaluate(() => localStorage.getItem("stageplay.split"))).toBe(null);
    await page.keyboard.press("ArrowRight");
    await expect(splitter).toHaveAttribute("aria-valuenow", "52");
    await page.keyboard.press("Home");
    await expect(splitter).toHaveAttribute("aria-valuenow", "50");
    expect(await editorShare()).toBeCloseTo(50, 0);
  });

  test("the 33-stage graph opens on its target at a readable size; Fit never shrinks below it", async ({ page }) => {
    await openApp(page);
    await replaceEditorText(page, MONOREPO);
    await expectTargetShown(page, "release", { deps: 2 });
    const zoom = page.locator(".graph-zoom-level");
    const percent = async () => parseInt(await zoom.textContent(), 10);
    expect(await percent()).toBeGreaterThanOrEqual(83);

    // Zoomed far out by hand, then Fit: back to a readable size, on the target.
    await page.locator(".graph-viewport").focus();
    for (let i = 0; i < 6; i++) await page.keyboard.press("-");
    await expect.poll(percent).toBeLessThan(40);
    await page.getByRole("button", { name: /^Fit/ }).click();
    await expect.poll(percent).toBeGreaterThanOrEqual(83);
    await expectTargetShown(page, "release", { deps: 2 });

    // Another target: the view moves to it.
    await page.locator("#graph-target").selectOption("gateway-build");
    // FROM gateway-mod and COPY from the build context.
    await expectTargetShown(page, "gateway-build", { edges: 2 });

    // The view follows the pane's width until the user zooms: a narrower pane keeps the target.
    await page.locator("#graph-target").selectOption("");
    await expectTargetShown(page, "release");
    const splitter = page.getByRole("separator");
    await splitter.focus();
    await page.keyboard.press("PageDown");
    await page.keyboard.press("PageDown");
    await expect(splitter).toHaveAttribute("aria-valuenow", "70");
    await expectTargetShown(page, "release");
  });

  test("a small graph still fits its pane whole", async ({ page }) => {
    await openApp(page);
    const vp = await box(page, ".graph-viewport");
    const svg = await box(page, ".graph-viewport svg");
    expect(svg.width).toBeLessThanOrEqual(vp.width);
    expect(svg.height).toBeLessThanOrEqual(vp.height);
    expect(await screenFontPx(page.locator(".graph-viewport .node-stage text.label").first())).toBeGreaterThanOrEqual(READABLE_PX);
  });
});
