// Issue 8: hostile text never runs. Payloads go into the Dockerfile (stage names, image names,
// labels, comments, RUN, COPY --from, ARG), into share links (text and settings) and into the
// URL; the test listens for dialogs and console errors (a CSP refusal would show one) and checks
// that a global canary stays unset and that no element carries an inline event handler.
import { readFileSync } from "node:fs";
import { test, expect, openApp, setEditorText } from "./fixtures.mjs";

const P = "window.__pwned=1";
const PAYLOADS = [
  `<script>${P}</script>`,
  `"><img src=x onerror="${P}">`,
  `'><img src=x onerror='${P}'>`,
  `<svg onload="${P}"></svg>`,
  `<svg><script>${P}</script></svg>`,
  `javascript:${P}`,
  `<a href="javascript:${P}">x</a>`,
  `<iframe src="javascript:${P}"></iframe>`,
  `<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>`,
  `<img src=x onerror=${P}//`,
  `</textarea><script>${P}</script>`,
  `</title><script>${P}</script>`,
  `<style>*{background:url("javascript:${P}")}</style>`,
  `</style><img src=x onerror=${P}>`,
  `x" style="background:url(javascript:${P})`,
  `<math><mtext><table><mglyph><style><img src=x onerror=${P}>`,
  `<details open ontoggle="${P}">`,
  `]]><svg onload="${P}">`,
  `<!--><svg onload="${P}">-->`,
  `&lt;script&gt;${P}&lt;/script&gt;`,
  `<object data="javascript:${P}"></object>`,
  `<embed src="javascript:${P}">`,
  `</text><foreignObject><img src=x onerror=${P}></foreignObject>`,
  `<img src=x onerror=alert(1)>`,
  `{{constructor.constructor('${P}')()}}`,
  `</tspan></text></svg><img src=x onerror=${P}>`,
];

function dockerfile(p) {
  const name = p.replace(/\s/g, "_");
  return [
    `# ${p}`,
    `ARG BASE="${p}"`,
    `FROM alpine:3.20 AS ${name}`,
    `LABEL description="${p.replaceAll('"', '\\"')}" ${name}=1`,
    `RUN echo '${p}' && apt-get install gcc`,
    `FROM ${name}`,
    `COPY --from=${name} /a /b`,
    `FROM ${p}`,
    `COPY --from=${p} /x /y`,
    `HEALTHCHECK CMD ${p}`,
    "",
  ].join("\n");
}

function guard(page) {
  const problems = [];
  page.on("dialog", (d) => {
    problems.push(`dialog: ${d.message()}`);
    d.dismiss();
  });
  page.on("console", (m) => m.type() === "error" && problems.push(`console: ${m.text()}`));
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  return problems;
}

async function assertClean(page, problems, what) {
  const report = await page.evaluate(() => {
    const handlers = [];
    for (const el of document.querySelectorAll("*")) {
      for (const a of el.attributes) {
        if (a.name.toLowerCase().startsWith("on")) handlers.push(`${el.tagName} ${a.name}`);
        if (/^\s*javascript:/i.test(a.value) && ["href", "src", "data", "action", "xlink:href"].includes(a.name)) handlers.push(`${el.tagName} ${a.name}=${a.value}`);
      }
    }
    const scripts = document.querySelectorAll("script:not([type=module])").length;
    const embedded = document.querySelectorAll(".app iframe, .app object, .app embed, .app img[src='x'], .app [srcdoc]").length;
    return { pwned: window.__pwned, handlers, scripts, embedded };
  });
  expect(report, what).toEqual({ pwned: undefined, handlers: [], scripts: 0, embedded: 0 });
  expect(problems, what).toEqual([]);
}

test(`${PAYLOADS.length} hostile payloads in the Dockerfile: nothing runs in any pane`, async ({ page }) => {
  test.setTimeout(300_000);
  expect(PAYLOADS.length).toBeGreaterThanOrEqual(20);
  const problems = guard(page);
  await openApp(page);
  for (const p of PAYLOADS) {
    await setEditorText(page, dockerfile(p));
    for (const tab of ["Graph", "Image", "Suggestions", "Problems"]) {
      await page.getByRole("tab", { name: new RegExp(`^${tab}`) }).click();
      await expect(page.locator(`#pane-${tab.toLowerCase()}`)).toBeVisible();
    }
    await page.locator(".cm-content").hover({ position: { x: 40, y: 50 } });
    await assertClean(page, problems, p);
  }
  // The user's text is shown as text: the payload is visible, literally, in the outline.
  await page.getByRole("tab", { name: /^Graph/ }).click();
  await expect(page.locator(".side-pane")).toContainText("onerror");
});

test("hostile share links (text and settings) and URL parameters run nothing", async ({ page }) => {
  const problems = guard(page);
  const fixtures = JSON.parse(readFileSync(new URL("./share.fixture.json", import.meta.url), "utf8"));
  const hostile = fixtures.find((f) => f.name === "hostile-settings");
  await page.goto("/#" + hostile.fragment);
  await expect(page.locator(".cm-content .tok-keyword").first()).toBeVisible();
  for (const tab of ["Graph", "Image", "Suggestions", "Problems"]) {
    await page.getByRole("tab", { name: new RegExp(`^${tab}`) }).click();
  }
  await assertClean(page, problems, "hostile share link");
  for (const p of PAYLOADS.slice(0, 8)) {
    const q = encodeURIComponent(p);
    await page.goto(`/?embed&pane=${q}&theme=${q}&height=${q}&example=${q}&parent=${q}#s=${q}`);
    await expect(page.locator(".app.embed")).toBeVisible();
    await assertClean(page, problems, `URL ${p}`);
    await page.goto(`/#s=${q}`);
    await expect(page.locator(".notice")).toContainText("could not be opened");
    await assertClean(page, problems, `fragment ${p}`);
  }
  // The embed's "Open in Stageplay" link is built from the page's own origin, never from input.
  await page.goto(`/?embed#s=${hostile.fragment.slice(2)}`);
  const href = await page.locator(".embed-open").getAttribute("href");
  expect(new URL(href).origin).toBe(new URL(page.url()).origin);
  await assertClean(page, problems, "embed link");
});
