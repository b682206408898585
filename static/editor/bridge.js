// The bridge between the Rust app and CodeMirror 6: it creates the view, reports changes and
// the cursor, and takes highlighting, diagnostics, fold ranges and edits from the app. It holds
// no Dockerfile knowledge: tokens, diagnostics, folds, hovers and indentation all come from the
// Rust side (`src/components/editor.rs`), which computes them from the engine's analysis.
// `cargo xtask` bundles this file with CodeMirror (esbuild) into build/editor.js.
//
// Positions are UTF-16 offsets into the document, as CodeMirror counts them.

import { Annotation, EditorState, Compartment, StateEffect, StateField, RangeSetBuilder } from "@codemirror/state";
import {
  EditorView, Decoration, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter,
  drawSelection, dropCursor, rectangularSelection, crosshairCursor, highlightSpecialChars, hoverTooltip,
} from "@codemirror/view";
import { history, historyKeymap, defaultKeymap, indentWithTab, isolateHistory, undo, redo } from "@codemirror/commands";
import { search, searchKeymap, highlightSelectionMatches } from "@codemirror/search";
import { closeBrackets, closeBracketsKeymap } from "@codemirror/autocomplete";
import { indentService, indentUnit, foldService, codeFolding, foldGutter, foldKeymap, bracketMatching } from "@codemirror/language";
import { setDiagnostics, lintGutter, lintKeymap } from "@codemirror/lint";

// Marks transactions the app made, so they are not reported back to it as edits.
const fromApp = Annotation.define();
const setTokens = StateEffect.define();
const setFolds = StateEffect.define();

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
 * `callbacks`: change(text, cursor), cursor(pos), reject(bytes), hover(pos) → [from, to, title, body] | null,
 * indent(end of the line above) → columns | undefined.
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
    hoverTooltip((view, pos) => {
      const hit = callbacks.hover(pos);
      if (!hit) return null;
      return {
        pos: hit[0],
        end: hit[1],
        create() {
          const dom = document.createElement("div");
          dom.className = "hover-tip";
          const title = dom.appendChild(document.createElement("strong"));
          title.textContent = hit[2];
          dom.appendChild(document.createElement("div")).textContent = hit[3];
          return { dom };
        },
      };
    }),
    keymap.of([
      ...closeBracketsKeymap,
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
  view.stageplay = { extensions, marks, readOnly, pending: null };
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
