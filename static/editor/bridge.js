// The bridge between the Rust app and CodeMirror 6: it creates the view, reports changes and
// the cursor, and takes highlighting, diagnostics, fold ranges and edits from the app. It holds
// no Dockerfile knowledge: tokens, diagnostics, folds, hovers, completions, definitions, renames
// and indentation all come from the Rust side (`src/components/editor.rs`), which computes them
// from the engine's analysis and its `ide` module.
// `cargo xtask` bundles this file with CodeMirror (esbuild) into build/editor.js.
//
// Positions are UTF-16 offsets into the document, as CodeMirror counts them.

import { Annotation, EditorState, Compartment, StateEffect, StateField, RangeSetBuilder } from "@codemirror/state";
import {
  EditorView, Decoration, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter,
  drawSelection, dropCursor, rectangularSelection, crosshairCursor, highlightSpecialChars, hoverTooltip,
  showPanel,
} from "@codemirror/view";
import { history, historyKeymap, defaultKeymap, indentWithTab, isolateHistory, undo, redo } from "@codemirror/commands";
import { search, searchKeymap, highlightSelectionMatches } from "@codemirror/search";
import {
  autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap, insertCompletionText, snippet, startCompletion,
} from "@codemirror/autocomplete";
import { indentService, indentUnit, foldService, codeFolding, foldGutter, foldKeymap, bracketMatching } from "@codemirror/language";
import { setDiagnostics, lintGutter, lintKeymap } from "@codemirror/lint";

// Marks transactions the app made, so they are not reported back to it as edits.
const fromApp = Annotation.define();
const setTokens = StateEffect.define();
const setFolds = StateEffect.define();
const setRename = StateEffect.define();

/**
 * Asks the app for a language feature at `pos` (`kind`: hover, complete, definition, rename).
 * The app answers `undefined` while its analysis is not of this document yet (typing outran it,
 * or a large file waits for a pause): ask again a little later, for up to about a second.
 */
async function ask(view, kind, pos, arg) {
  for (let i = 0; i < 50; i++) {
    const json = view.stageplay.ide(kind, pos, view.state.doc.length, arg);
    if (json !== undefined) return JSON.parse(json);
    await new Promise((resolve) => setTimeout(resolve, 20));
    if (!view.dom.isConnected) return null;
  }
  return null;
}

/**
 * Markdown (the engine's hovers and completion docs, the in-app guide) as DOM nodes, never as
 * HTML: ``` code blocks, `#` headings, `---` rules, paragraphs, `- ` and `1. ` lists, `|` tables,
 * `code`, **bold** and [links](https://…); all else is text.
 */
function markdown(md) {
  const root = document.createElement("div");
  root.className = "md";
  const inline = (parent, text) => {
    for (const part of text.split(/(`[^`]*`|\*\*[^*]+\*\*|\[[^\]]+\]\([^)\s]+\))/)) {
      if (!part) continue;
      const link = /^\[([^\]]+)\]\((https:\/\/[^)\s]+)\)$/.exec(part);
      if (link) {
        const a = parent.appendChild(document.createElement("a"));
        a.textContent = link[1];
        a.href = link[2];
        a.target = "_blank";
        a.rel = "noopener noreferrer";
      } else if (part.length > 1 && part.startsWith("`") && part.endsWith("`")) {
        parent.appendChild(document.createElement("code")).textContent = part.slice(1, -1);
      } else if (part.length > 3 && part.startsWith("**") && part.endsWith("**")) {
        parent.appendChild(document.createElement("strong")).textContent = part.slice(2, -2);
      } else parent.appendChild(document.createTextNode(part));
    }
  };
  // The element the current line continues (a paragraph, list or table), if any.
  let open = null;
  const lines = md.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith("```")) {
      const code = [];
      while (++i < lines.length && !lines[i].startsWith("```")) code.push(lines[i]);
      root.appendChild(document.createElement("pre")).textContent = code.join("\n");
      open = null;
    } else if (!line.trim()) {
      open = null;
    } else if (/^#{1,4} /.test(line)) {
      const level = line.indexOf(" ");
      inline(root.appendChild(document.createElement(`h${Math.min(level + 2, 6)}`)), line.slice(level + 1));
      open = null;
    } else if (/^-{3,}$/.test(line.trim())) {
      root.appendChild(document.createElement("hr"));
      open = null;
    } else if (/^\d+\. /.test(line)) {
      if (!open || open.tagName !== "OL") open = root.appendChild(document.createElement("ol"));
      inline(open.appendChild(document.createElement("li")), line.slice(line.indexOf(" ") + 1));
    } else if (line.startsWith("|")) {
      if (!open || open.tagName !== "TABLE") open = root.appendChild(document.createElement("table"));
      const cells = line.split("|").slice(1, -1).map((c) => c.trim());
      if (cells.every((c) => /^-*$/.test(c))) continue;
      const row = open.appendChild(document.createElement("tr"));
      for (const cell of cells) inline(row.appendChild(document.createElement("td")), cell);
    } else if (line.startsWith("- ")) {
      if (!open || open.tagName !== "UL") open = root.appendChild(document.createElement("ul"));
      inline(open.appendChild(document.createElement("li")), line.slice(2));
    } else {
      if (!open || open.tagName !== "P") open = root.appendChild(document.createElement("p"));
      else open.appendChild(document.createTextNode(" "));
      inline(open, line);
    }
  }
  return root;
}

/** Draws `md` (see `markdown`) into `parent`, replacing what it held. */
export function renderMarkdown(parent, md) {
  parent.replaceChildren(markdown(md));
}

/** Completion from the engine (`ide::completions`), as CodeMirror's autocompletion source. */
async function complete(context) {
  const items = await ask(context.view, "complete", context.pos);
  // The answer is asynchronous: when it arrives after the user left the editor (clicked a pane),
  // a list opened now would float over that pane with nothing to type into.
  if (!items || !items.length || context.aborted || !context.view.hasFocus) return null;
  const from = Math.min(...items.map((c) => c.from));
  return {
    from,
    // Typing more of the same word filters this list; anything else asks the engine again.
    validFor: /^[\w.-]*$/,
    options: items.map((c, rank) => ({
      label: c.label,
      type: c.type,
      detail: c.detail || undefined,
      info: c.info ? () => markdown(c.info) : undefined,
      // The engine lists the best first; CodeMirror keeps that order among equal matches.
      boost: Math.max(-99, 99 - rank),
      apply: (view, completion, start, end) => {
        if (c.snippet) snippet(c.snippet)(view, completion, start, end);
        else view.dispatch(insertCompletionText(view.state, c.insert, start, end));
        if (c.retrigger) startCompletion(view);
      },
    })),
  };
}

/** F12: the cursor moves to (and selects) the definition of the stage or ARG under it. */
function goToDefinition(view) {
  ask(view, "definition", view.state.selection.main.head).then((target) => {
    if (!target) return;
    view.dispatch({
      selection: { anchor: target.from, head: target.to },
      effects: EditorView.scrollIntoView(target.from, { y: "center" }),
      userEvent: "select.definition",
    });
    view.focus();
  });
  return true;
}

/** F2: a panel asks for the new name of the stage or ARG under the cursor. */
function startRename(view) {
  const pos = view.state.selection.main.head;
  ask(view, "rename", pos).then((answer) => {
    if (!answer) return;
    const target = answer.target ? { pos, ...answer.target } : { pos, error: answer.error };
    view.dispatch({ effects: setRename.of(target) });
  });
  return true;
}

const renameState = StateField.define({
  create: () => null,
  update(value, tr) {
    for (const e of tr.effects) if (e.is(setRename)) value = e.value;
    // An edit elsewhere makes the asked position stale: close.
    return value && tr.docChanged ? null : value;
  },
  provide: (f) => showPanel.from(f, (target) => (target ? (view) => renamePanel(view, target) : null)),
});

function renamePanel(view, target) {
  const close = () => {
    view.dispatch({ effects: setRename.of(null) });
    view.focus();
  };
  const dom = document.createElement("form");
  dom.className = "cm-rename";
  const message = document.createElement("span");
  message.className = "cm-rename-message";
  message.setAttribute("role", "status");
  if (target.error) {
    message.textContent = `Cannot rename here: ${target.error}`;
    const ok = dom.appendChild(document.createElement("button"));
    ok.type = "button";
    ok.textContent = "Close";
    ok.onclick = close;
    dom.appendChild(message);
    dom.onkeydown = (e) => e.key === "Escape" && (e.preventDefault(), close());
    return { dom, top: true, mount: () => ok.focus() };
  }
  const label = dom.appendChild(document.createElement("label"));
  label.textContent = `Rename ${target.kind} “${target.name}” to `;
  const input = label.appendChild(document.createElement("input"));
  input.value = target.name;
  input.className = "cm-textfield";
  input.setAttribute("aria-label", "New name");
  input.spellcheck = false;
  const go = dom.appendChild(document.createElement("button"));
  go.textContent = "Rename";
  go.className = "cm-button";
  const cancel = dom.appendChild(document.createElement("button"));
  cancel.type = "button";
  cancel.className = "cm-button";
  cancel.textContent = "Cancel";
  cancel.onclick = close;
  dom.appendChild(message);
  dom.onsubmit = async (e) => {
    e.preventDefault();
    const answer = await ask(view, "rename", target.pos, input.value);
    if (!answer) return;
    if (answer.error) {
      message.textContent = answer.error;
      return;
    }
    // One transaction: one undo step, reported to the app like typing.
    view.dispatch({ changes: answer.edits, effects: setRename.of(null), userEvent: "input.rename" });
    view.focus();
  };
  dom.onkeydown = (e) => {
    if (e.key === "Escape") {
      e.preventDefault();
      close();
    }
  };
  return { dom, top: true, mount: () => (input.focus(), input.select()) };
}

// Highlighting: a decoration set the app replaces after each analysis; edits map it until then.
const tokens = StateField.define({
  create: () => Decoration.none,
  update(deco, tr) {
    deco = deco.map(tr.changes);
    for (const e of tr.effects) if (e.is(setTokens)) deco = e.value;
    return deco;
  },
  provide: (f) => EditorView.decorations.from(f),
});

// Fold ranges from the engine: a flat [from, to, from, to, …] list sorted by `from`, mapped
// through edits until the next analysis.
const folds = StateField.define({
  create: () => [],
  update(list, tr) {
    for (const e of tr.effects) if (e.is(setFolds)) return e.value;
    if (!tr.docChanged) return list;
    return list.map((pos, i) => tr.changes.mapPos(pos, i % 2 ? -1 : 1));
  },
});

// The widest range starting on the line (the list is sorted by `from`, widest first).
function foldAt(state, lineStart, lineEnd) {
  const list = state.field(folds);
  let lo = 0;
  let hi = list.length / 2;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid * 2] < lineStart) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo * 2; i < list.length && list[i] <= lineEnd; i += 2) {
    if (list[i + 1] > lineEnd) return { from: lineEnd, to: list[i + 1] };
  }
  return null;
}

/** The UTF-8 length of a document, counted only when it could be over `limit`. */
function overLimit(doc, limit) {
  if (doc.length * 3 <= limit) return 0;
  let bytes = 0;
  for (const iter = doc.iter(); !iter.next().done; ) {
    const s = iter.value;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c < 0xdc00 ? (i++, 4) : 3;
    }
  }
  return bytes > limit ? bytes : 0;
}

/**
 * Creates the editor in `parent` with `doc`.
 * `options`: { readOnly, maxBytes, classes: [css class per token kind], label }.
 * `callbacks`: change(text, cursor), cursor(pos), reject(bytes), indent(end of the line above) →
 * columns | undefined, ide(kind, pos, document length, arg) → JSON | undefined (see `ask`).
 */
export function create(parent, doc, options, callbacks) {
  const marks = options.classes.map((c) => Decoration.mark({ class: c }));
  const readOnly = new Compartment();
  const extensions = [
    lineNumbers(),
    foldGutter(),
    lintGutter(),
    highlightActiveLineGutter(),
    highlightSpecialChars(),
    history(),
    codeFolding(),
    drawSelection(),
    dropCursor(),
    EditorState.allowMultipleSelections.of(true),
    bracketMatching(),
    closeBrackets(),
    rectangularSelection(),
    crosshairCursor(),
    highlightActiveLine(),
    highlightSelectionMatches(),
    search({ top: true }),
    indentUnit.of("    "),
    EditorState.tabSize.of(4),
    EditorState.languageData.of(() => [{ commentTokens: { line: "#" } }]),
    // The app's text is the document before the change: the line above ends at the simulated
    // break (Enter), else just before `pos`.
    indentService.of((cx, pos) => (pos === 0 ? null : callbacks.indent(cx.simulatedBreak === pos ? pos : pos - 1))),
    foldService.of(foldAt),
    folds,
    tokens,
    hoverTooltip(async (view, pos) => {
      const hit = await ask(view, "hover", pos);
      if (!hit) return null;
      return {
        pos: hit.from,
        end: hit.to,
        create() {
          const dom = markdown(hit.markdown);
          dom.classList.add("hover-tip");
          return { dom };
        },
      };
    }),
    autocompletion({ override: [complete], icons: false }),
    renameState,
    keymap.of([
      ...closeBracketsKeymap,
      ...completionKeymap,
      { key: "F12", run: goToDefinition },
      { key: "F2", run: startRename },
      // Alt+L stays the app's "Share link" shortcut.
      ...defaultKeymap.filter((b) => b.key !== "Alt-l"),
      ...searchKeymap,
      ...historyKeymap,
      // Ctrl+Shift+Z redoes on every platform (CodeMirror binds it on Linux and macOS only).
      { key: "Mod-Shift-z", run: redo, preventDefault: true },
      ...foldKeymap,
      ...lintKeymap,
      indentWithTab,
    ]),
    // A text over the size limit is refused before the editor lays it out.
    EditorState.transactionFilter.of((tr) => {
      const bytes = tr.docChanged ? overLimit(tr.newDoc, options.maxBytes) : 0;
      if (!bytes) return tr;
      queueMicrotask(() => callbacks.reject(bytes));
      return [];
    }),
    // Dropped files are opened by the app, not inserted into the text.
    EditorView.domEventHandlers({
      drop: (event) => Boolean(event.dataTransfer && event.dataTransfer.files.length),
    }),
    // An explicit tabindex: checkers (axe's scrollable-region-focusable) do not count a
    // contenteditable element as focusable content of its scroller.
    EditorView.contentAttributes.of({ "aria-label": options.label, tabindex: "0" }),
    readOnly.of(EditorState.readOnly.of(options.readOnly)),
    EditorView.updateListener.of((update) => {
      const head = update.state.selection.main.head;
      if (update.docChanged && update.transactions.some((t) => !t.annotation(fromApp))) {
        callbacks.change(update.state.doc.toString(), head);
      } else if (update.selectionSet || update.docChanged) {
        callbacks.cursor(head);
      }
    }),
  ];
  const view = new EditorView({ parent, state: EditorState.create({ doc, extensions }) });
  view.stageplay = { extensions, marks, readOnly, pending: null, ide: callbacks.ide };
  // Tests and the browser console reach the view through its element.
  parent.editorView = view;
  return view;
}

export function destroy(view) {
  view.stageplay.pending = null;
  delete view.dom.parentNode?.editorView;
  view.destroy();
}

export function text(view) {
  return view.state.doc.toString();
}

/** Replaces `from..to` with `insert` as one undoable step of its own (a fix, a refactor). */
export function replace(view, from, to, insert) {
  view.dispatch({
    changes: { from, to, insert },
    annotations: [fromApp.of(true), isolateHistory.of("full")],
    scrollIntoView: false,
  });
}

/** Opens another document: new text, new history. */
export function reset(view, doc) {
  view.setState(EditorState.create({ doc, extensions: view.stageplay.extensions }));
}

export function undoEdit(view) {
  return undo(view);
}

export function redoEdit(view) {
  return redo(view);
}

export function setReadOnly(view, on) {
  view.dispatch({ effects: view.stageplay.readOnly.reconfigure(EditorState.readOnly.of(on)) });
}

/**
 * The analysis of the current document: `runs` is [from, to, class index, …] sorted by `from`,
 * `diagnostics` a JSON list of {from, to, severity, message, source}, `foldRanges` [from, to, …].
 * Applied in the next animation frame, with CodeMirror's own drawing, so a keystroke's task does
 * not update the editor twice; ignored when the document is then not `length` long (the text
 * changed since: the next analysis follows).
 */
export function setAnalysis(view, length, runs, diagnostics, foldRanges) {
  const pending = !view.stageplay.pending;
  // Copies: `runs` and `foldRanges` are views into the wasm memory.
  view.stageplay.pending = { length, runs: runs.slice(), diagnostics, folds: Array.from(foldRanges) };
  if (pending) requestAnimationFrame(() => applyAnalysis(view));
}

function applyAnalysis(view) {
  const { pending, marks } = view.stageplay;
  if (!pending) return;
  view.stageplay.pending = null;
  const { length, runs, diagnostics, folds: ranges } = pending;
  if (view.state.doc.length !== length) return;
  const builder = new RangeSetBuilder();
  for (let i = 0; i + 2 < runs.length; i += 3) {
    if (runs[i] < runs[i + 1] && runs[i + 1] <= length) builder.add(runs[i], runs[i + 1], marks[runs[i + 2]]);
  }
  const spec = setDiagnostics(view.state, JSON.parse(diagnostics));
  spec.effects = [].concat(spec.effects || [], setTokens.of(builder.finish()), setFolds.of(ranges));
  spec.annotations = fromApp.of(true);
  view.dispatch(spec);
}

/** Moves the cursor to `pos`, scrolls it into view and focuses the editor. */
export function setCursor(view, pos) {
  const at = Math.min(pos, view.state.doc.length);
  view.dispatch({ selection: { anchor: at }, effects: EditorView.scrollIntoView(at, { y: "center" }) });
  view.focus();
}
