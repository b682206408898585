// Playwright drives Debian's Chromium; it never downloads a browser.
import { defineConfig } from "@playwright/test";

const baseURL = process.env.STAGEPLAY_URL;
if (!baseURL) throw new Error("STAGEPLAY_URL is not set: run the tests with `cargo xtask test`");

export default defineConfig({
  testDir: ".",
  testMatch: /.*\.spec\.mjs/,
  // The browser benchmark runs only from `cargo xtask bench` (it takes minutes).
  testIgnore: process.env.STAGEPLAY_BENCH === "1" ? [] : [/bench\.spec\.mjs/],
  timeout: 60_000,
  // CI shares a small machine: one retry absorbs a timing hiccup (Playwright reports it as flaky).
  retries: process.env.CI ? 1 : 0,
  workers: 1,
  reporter: [["list"]],
  use: {
    baseURL,
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
});
