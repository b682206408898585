// Issue 4: the interactive stage graph in the Graph pane, its exports, and how fast it follows
// the editor on a 60-stage file.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { test, expect, openApp, setEditorText, editorText, editorCaret, setEditorCaret, replaceEditorText } from "./fixtures.mjs";

const graph = (page) => page.locator(".graph-viewport svg");
const stageNode = (page, i) => graph(page).locator(`.node-stage[data-stage="${i}"]`);

test("the default example shows both stages and the COPY --from edge", async ({ page }) => {
  await openApp(page);
  await expect(graph(page).locator(".node-stage")).toHaveCount(2);
  await expect(stageNode(page, 0)).toContainText("builder");
  await expect(stageNode(page, 0)).toContainText("FROM python:3.12-slim");
  await expect(stageNode(page, 1)).toContainText("stage-1");
  await expect(graph(page).locator(".node-image")).toContainText(["python:3.12-slim"]);
  const copy = graph(page).locator(".edge-copy").filter({ has: page.locator("title", { hasText: /^COPY --from=builder, line 12$/ }) });
  await expect(copy).toHaveCount(1);
  // Hovering the edge names its instruction and line.
  await copy.hover();
  await expect(page.locator(".graph-hover")).toHaveText("COPY --from=builder, line 12");
  // The default target is the last stage; both stages are built, in two levels.
  await expect(stageNode(page, 1)).toHaveClass(/\btarget\b/);
  await expect(page.locator(".build-order")).toHaveText("Build order for stage-1: level 1: builder; level 2: stage-1");
});

test("clicking the builder node moves the editor cursor to its FROM line", async ({ page }) => {
  await openApp(page);
  const text = await editorText(page);
  const from = text.indexOf("FROM python:3.12-slim AS builder");
  expect(from).toBeGreaterThan(0);
  await stageNode(page, 0).click();
  const caret = await editorCaret(page);
  expect(caret).toBe(from);
  await expect(stageNode(page, 0)).toHaveClass(/\bcurrent\b/);
  await expect(stageNode(page, 1)).not.toHaveClass(/\bcurrent\b/);
  // Keyboard: the second stage is focusable and Enter activates it.
  await stageNode(page, 1).focus();
  await page.keyboard.press("Enter");
  const caret2 = await editorCaret(page);
  expect(caret2).toBe(text.indexOf("FROM python:3.12-slim\n"));
  await expect(stageNode(page, 1)).toHaveClass(/\bcurrent\b/);
});

test("the cursor in the editor highlights its stage", async ({ page }) => {
  await openApp(page);
  const text = await editorText(page);
  const at = text.indexOf("COPY --from=builder");
  await setEditorCaret(page, at - 1);
  await page.keyboard.press("ArrowRight");
  await expect(stageNode(page, 1)).toHaveClass(/\bcurrent\b/);
  await expect(stageNode(page, 0)).not.toHaveClass(/\bcurrent\b/);
});

test("on a 60-stage file, moving the cursor brings its stage into view", async ({ page }) => {
  await openApp(page);
  const mobyPath = fileURLToPath(new URL("../../crates/stageplay/tests/corpus/real/moby_moby/Dockerfile", import.meta.url));
  const moby = readFileSync(mobyPath, "utf8");
  await replaceEditorText(page, moby);
  await expect(graph(page).locator(".node-stage")).toHaveCount((moby.match(/^FROM /gim) || []).length);
  for (const name of ["containerd-build", "dev", "xx"]) {
    const at = moby.search(new RegExp(`^FROM .* AS ${name}$`, "m"));
    expect(at).toBeGreaterThan(0);
    await setEditorCaret(page, at + 1);
    await page.keyboard.press("ArrowRight");
    const node = graph(page).locator(".node-stage.current");
    await expect(node).toContainText(name);
    await expect(node).toBeInViewport();
    const inside = await page.evaluate(() => {
      const vp = document.querySelector(".graph-viewport").getBoundingClientRect();
      const n = document.querySelector(".node-stage.current rect").getBoundingClientRect();
      return n.left >= vp.left && n.right <= vp.right && n.top >= vp.top && n.bottom <= vp.bottom;
    });
    expect(inside, `${name} is inside the graph viewport`).toBe(true);
  }
});

test("switching the target greys the skipped stage", async ({ page }) => {
  await openApp(page);
  await expect(stageNode(page, 1)).toHaveClass(/\bneeded\b/);
  await page.locator("#graph-target").selectOption("builder");
  await expect(stageNode(page, 1)).toHaveClass(/\bskipped\b/);
  await expect(stageNode(page, 0)).toHaveClass(/\btarget\b/);
  const fill = await stageNode(page, 1).locator("rect").evaluate((r) => getComputedStyle(r).fill);
  const fillTarget = await stageNode(page, 0).locator("rect").evaluate((r) => getComputedStyle(r).fill);
  expect(fill).not.toBe(fillTarget);
  await expect(page.locator(".unreachable")).toHaveText("Not built for this target: stage-1");
  // Back to the default.
  await page.locator("#graph-target").selectOption("");
  await expect(stageNode(page, 1)).toHaveClass(/\bneeded\b/);
});

test("a build arg from the form changes the FROM image in the graph", async ({ page }) => {
  await openApp(page);
  await setEditorText(page, "ARG PY=3.12\nFROM python:${PY}-slim AS base\nRUN echo hi\nFROM base\n");
  await expect(graph(page).locator(".node-image text.label")).toHaveText("python:3.12-slim");
  await page.locator(".graph-args summary").click();
  const input = page.locator("#build-arg-PY");
  await expect(input).toHaveAttribute("placeholder", "3.12");
  await input.fill("3.13");
  await input.press("Enter");
  await expect(graph(page).locator(".node-image text.label")).toHaveText("python:3.13-slim");
  await expect(page.locator(".graph-args summary")).toHaveText("Build args (1 set)");
  await page.getByRole("button", { name: "Reset to defaults" }).click();
  await expect(graph(page).locator(".node-image text.label")).toHaveText("python:3.12-slim");
});

test("the outline lists targets with descriptions, args, secrets, ssh and cache mounts", async ({ page }) => {
  await openApp(page);
  await setEditorText(
    page,
    [
      "# Version of Go to build with",
      "ARG GO=1.22",
      "# Compiles the tool",
      "FROM golang:${GO} AS build",
      "RUN --mount=type=cache,target=/root/.cache/go-build --mount=type=secret,id=token,required=true --mount=type=ssh go build ./...",
      "FROM scratch AS release",
      "COPY --from=build /out /",
      "",
    ].join("\n"),
  );
  const outline = page.locator(".graph-outline");
  await expect(outline.locator("li").filter({ hasText: "build" }).first()).toContainText("Compiles the tool");
  await expect(outline).toContainText("release (default)");
  await expect(outline).toContainText("GO=1.22");
  await expect(outline).toContainText("Version of Go to build with");
  await expect(outline).toContainText("secret token (required)");
  await expect(outline).toContainText("ssh default");
  await expect(outline).toContainText("cache /root/.cache/go-build → /root/.cache/go-build (shared)");
  await expect(graph(page).locator(".node-scratch")).toHaveCount(1);
  await expect(graph(page).locator(".edge-copy title")).toHaveText(["COPY --from=build, line 7"]);
});

test("zoom buttons, the wheel and the keyboard change the scale", async ({ page }) => {
  await openApp(page);
  const width = async () => Number(await graph(page).getAttribute("width"));
  const before = await width();
  await page.getByRole("button", { name: "Zoom in" }).click();
  await expect.poll(width).toBeGreaterThan(before * 1.2);
  const zoomed = await width();
  await page.locator(".graph-viewport").hover();
  await page.mouse.wheel(0, 200);
  await expect.poll(width).toBeLessThan(zoomed);
  await page.locator(".graph-viewport").focus();
  const w = await width();
  await page.keyboard.press("-");
  await expect.poll(width).toBeLessThan(w);
});

async function download(page, title) {
  const [file] = await Promise.all([
    page.waitForEvent("download"),
    page.locator(`.graph-exports button[title="${title}"]`).click(),
  ]);
  return { name: file.suggestedFilename(), body: readFileSync(await file.path()) };
}

test("SVG, Mermaid, DOT and PNG exports download", async ({ page }) => {
  await openApp(page);
  const svg = await download(page, "Download stages.svg");
  expect(svg.name).toBe("stages.svg");
  const svgText = svg.body.toString("utf8");
  expect(svgText).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  expect(svgText).toContain(">builder<");
  expect(svgText).toContain("COPY --from=builder, line 12");

  const mmd = await download(page, "Download stages.mmd");
  expect(mmd.name).toBe("stages.mmd");
  const mmdText = mmd.body.toString("utf8");
  expect(mmdText).toMatch(/^flowchart LR\n/);
  expect(mmdText).toContain("stage_0 -. copy .-> stage_1");

  const dot = await download(page, "Download stages.dot");
  expect(dot.body.toString("utf8")).toMatch(/^digraph/);

  const png = await download(page, "Download stages.png");
  expect(png.name).toBe("stages.png");
  expect([...png.body.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(png.body.length).toBeGreaterThan(2000);
});

test("Mermaid copies to the clipboard", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await openApp(page);
  await page.locator('.graph-exports button[title="Copy the Mermaid text"]').click();
  await expect(page.locator(".graph-export-status")).toHaveText("Copied Mermaid to the clipboard.");
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toContain("stage_0 -. copy .-> stage_1");
});

/** A deterministic 60-stage Dockerfile: chains, fan-in by COPY --from, cache and bind mounts. */
function sixtyStages(tag) {
  const lines = ["# syntax=docker/dockerfile:1", "ARG GO_VERSION=1.22", "ARG ALPINE=3.20", ""];
  for (let i = 0; i < 60; i++) {
    const name = i === 59 ? `final${tag}` : `s${i}`;
    let base;
    if (i % 10 === 0) base = "golang:${GO_VERSION}";
    else if (i % 7 === 0) base = "alpine:${ALPINE}";
    else if (i % 13 === 0) base = "scratch";
    else base = `s${i - 1}`;
    lines.push(`# Stage ${i}: part ${i} of the build`, `FROM ${base} AS ${name}`, "WORKDIR /src");
    if (i >= 2) lines.push(`COPY --from=s${i - 2} /out /in/${i - 2}`);
    if (i >= 5 && i % 3 === 0) lines.push(`COPY --from=s${Math.floor(i / 3)} /out /in/${Math.floor(i / 3)}`);
    if (i % 4 === 1) lines.push(`RUN --mount=type=cache,target=/root/.cache/go-build --mount=type=bind,from=s${Math.max(0, i - 1)},target=/dep go build -o /out/${i} ./cmd/${i}`);
    else lines.push(`RUN mkdir -p /out && echo ${i} > /out/${i}`);
    lines.push("");
  }
  return lines.join("\n");
}

/**
 * Replaces the editor text in the page; returns the ms until the Graph pane shows the new graph
 * (analysis, layout and render) and the ms the layout alone took in wasm.
 */
async function timeToGraph(page, text, lastLabel, stages) {
  return page.evaluate(
    ({ text, lastLabel, stages }) =>
      new Promise((resolve) => {
        const view = document.querySelector(".editor").editorView;
        const done = () => {
          const nodes = document.querySelectorAll(".graph-viewport .node-stage");
          const last = nodes[nodes.length - 1];
          return nodes.length === stages && last && last.textContent.includes(lastLabel);
        };
        const finish = () => {
          observer.disconnect();
          const layout = Number(document.querySelector(".graph-pane").dataset.layoutMs);
          resolve({ total: performance.now() - t0, layout });
        };
        const t0 = performance.now();
        const observer = new MutationObserver(() => {
          if (done()) finish();
        });
        observer.observe(document.querySelector(".side-pane"), { subtree: true, childList: true, characterData: true, attributes: true });
        view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text }, userEvent: "input.paste" });
        if (done()) finish();
      }),
    { text, lastLabel, stages },
  );
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

test("a 60-stage file: the graph follows an edit quickly (prints browser timings)", async ({ page }) => {
  await openApp(page);
  const generated = [];
  for (let k = 0; k < 7; k++) generated.push(await timeToGraph(page, sixtyStages(k), `final${k}`, 60));
  await expect(graph(page).locator(".node-stage")).toHaveCount(60);
  // Readable at the auto-fit scale: stage names are drawn at least 8 px high.
  const heights = await graph(page).locator(".node-stage text.label").evaluateAll((ts) => ts.map((t) => t.getBoundingClientRect().height));
  expect(Math.min(...heights)).toBeGreaterThanOrEqual(8);

  const mobyPath = fileURLToPath(new URL("../../crates/stageplay/tests/corpus/real/moby_moby/Dockerfile", import.meta.url));
  const moby = readFileSync(mobyPath, "utf8");
  const mobyStages = (moby.match(/^FROM /gim) || []).length;
  const mobyTimes = [];
  for (let k = 0; k < 5; k++) {
    mobyTimes.push(await timeToGraph(page, `${moby}\nFROM scratch AS last${k}\n`, `last${k}`, mobyStages + 1));
  }
  const report = (runs) =>
    `median ${median(runs.map((r) => r.total)).toFixed(1)} ms (runs: ${runs.map((r) => r.total.toFixed(1)).join(", ")}), ` +
    `layout in wasm median ${median(runs.map((r) => r.layout)).toFixed(2)} ms`;
  console.log(`graph bench: generated 60 stages, edit → Graph pane updated: ${report(generated)}`);
  console.log(`graph bench: moby Dockerfile (${mobyStages + 1} stages), edit → Graph pane updated: ${report(mobyTimes)}`);
  expect(median(generated.map((r) => r.total))).toBeLessThan(2000);
  expect(median(generated.map((r) => r.layout))).toBeGreaterThan(0);
});
