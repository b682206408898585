// Stageplay embed helper: sizes every <iframe data-stageplay> to its content.
// The iframe posts {type: "stageplay:ready"} when it starts; this script answers
// {type: "stageplay:hello"} to the iframe's origin only, and then accepts
// {type: "stageplay:resize", height} only from that iframe's window and origin.
(function () {
  "use strict";
  var frames = [];

  function originOf(frame) {
    try {
      return new URL(frame.src, document.baseURI).origin;
    } catch (e) {
      return null;
    }
  }

  function hello(entry) {
    if (entry.frame.contentWindow && entry.origin && entry.origin !== "null") {
      entry.frame.contentWindow.postMessage({ type: "stageplay:hello" }, entry.origin);
    }
  }

  function register(frame) {
    if (frame.__stageplay) return;
    var entry = { frame: frame, origin: originOf(frame) };
    frame.__stageplay = entry;
    frames.push(entry);
    frame.addEventListener("load", function () { hello(entry); });
    hello(entry);
  }

  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || typeof data !== "object" || typeof data.type !== "string") return;
    for (var i = 0; i < frames.length; i++) {
      var entry = frames[i];
      if (event.source !== entry.frame.contentWindow || event.origin !== entry.origin) continue;
      if (data.type === "stageplay:ready") {
        hello(entry);
      } else if (data.type === "stageplay:resize") {
        var h = Number(data.height);
        if (isFinite(h) && h >= 50 && h <= 20000) {
          entry.frame.style.height = Math.ceil(h) + "px";
          entry.frame.setAttribute("data-stageplay-sized", "true");
        }
      }
      return;
    }
  });

  function scan() {
    var list = document.querySelectorAll("iframe[data-stageplay]");
    for (var i = 0; i < list.length; i++) register(list[i]);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", scan);
  else scan();
})();
