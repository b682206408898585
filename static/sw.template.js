// Stageplay's service worker: precaches the hashed release build so the app works offline.
// Generated at build time by static/gen-sw.sh from this template; do not edit dist/sw.js.
const VERSION = "__VERSION__";
const PRECACHE = __PRECACHE__;
const CACHE = `stageplay-${VERSION}`;

self.addEventListener("install", (event) => {
  // Wait for the page to ask ("update available — reload") before taking over.
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("stageplay-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "stageplay:skip-waiting") self.skipWaiting();
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  event.respondWith(
    caches.open(CACHE).then(async (cache) => {
      // Navigations (with any query or fragment) get the cached app shell.
      const key = request.mode === "navigate" ? new URL("./index.html", self.registration.scope).href : request;
      const hit = await cache.match(key, { ignoreSearch: request.mode === "navigate" });
      if (hit) return hit;
      return fetch(request);
    }),
  );
});
