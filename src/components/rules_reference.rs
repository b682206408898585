//! The Rules reference: every lint rule with its code, name, the rules it mirrors, severity,
//! fix availability and its full documentation, searchable. Opened from the Problems pane.
//!
//! The docs are the rules' doc comments (a small markdown subset: `##` headings, paragraphs,
//! `-` lists, fenced code, inline code and links). They are rendered as Yew nodes, never as
//! HTML, so nothing in them can become markup.

use stageplay::lint::{self, Applicability, RuleMeta};
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct RulesReferenceProps {
    /// The search text to start with (a rule's code when opened from a finding).
    #[prop_or_default]
    pub query: AttrValue,
    /// The rule whose doc starts expanded.
    #[prop_or_default]
    pub open: Option<AttrValue>,
    /// Back to the problems list (the Back button and Escape).
    pub on_close: Callback<()>,
}

#[component(RulesReference)]
pub fn rules_reference(props: &RulesReferenceProps) -> Html {
    let query = use_state(|| props.query.to_string());
    let search = use_node_ref();
    {
        let search = search.clone();
        use_effect_with((), move |_| {
            if let Some(input) = search.cast::<HtmlInputElement>() {
                let _ = input.focus();
            }
        });
    }
    let oninput = {
        let query = query.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            query.set(input.value());
        })
    };
    let onkeydown = {
        let close = props.on_close.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                e.prevent_default();
                close.emit(());
            }
        })
    };
    let back = {
        let close = props.on_close.clone();
        Callback::from(move |_| close.emit(()))
    };
    let all = lint::rules();
    let shown: Vec<&RuleMeta> = all.iter().filter(|r| matches(r, &query)).collect();
    let items = shown.iter().map(|r| {
        let open = props
            .open
            .as_deref()
            .is_some_and(|c| c.eq_ignore_ascii_case(r.code));
        rule_entry(r, open)
    });
    html! {
        <section class="rules-reference" aria-label="Rules reference" {onkeydown}>
            <div class="pane-head">
                <h2 class="pane-title">{ "Rules reference" }</h2>
                <button class="button rules-back" onclick={back}>{ "Back to problems" }</button>
            </div>
            <input ref={search} class="rules-search" type="search" placeholder="Search rules: code, name, text"
                aria-label="Search rules" value={(*query).clone()} {oninput} />
            <p class="muted rules-count" aria-live="polite">{ format!("{} of {} rules", shown.len(), all.len()) }</p>
            <ul class="rules-list">{ for items }</ul>
        </section>
    }
}

/// True when every word of the query occurs in the rule's code, name, sources or doc.
fn matches(rule: &RuleMeta, query: &str) -> bool {
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    if words.is_empty() {
        return true;
    }
    let hay = format!(
        "{} {} {} {}",
        rule.code,
        rule.name,
        rule.sources.join(" "),
        rule.doc
    )
    .to_lowercase();
    words.iter().all(|w| hay.contains(w.as_str()))
}

/// The label of a rule's fix: "safe fix", "unsafe fix" or nothing.
pub fn fix_label(fix: Option<Applicability>) -> Option<&'static str> {
    match fix? {
        Applicability::Safe => Some("safe fix"),
        Applicability::Unsafe => Some("unsafe fix"),
        Applicability::DisplayOnly => Some("example fix"),
    }
}

fn rule_entry(r: &RuleMeta, open: bool) -> Html {
    let sources = if r.sources.is_empty() {
        "Stageplay".to_string()
    } else {
        r.sources.join(", ")
    };
    html! {
        <li class="rule" id={format!("rule-{}", r.code)}>
            <details {open}>
                <summary>
                    <code class="rule-code">{ r.code }</code>
                    <span class="rule-name">{ r.name }</span>
                    <span class={classes!("badge", format!("sev-{}", r.severity.as_str()))}>{ r.severity.as_str() }</span>
                    if let Some(label) = fix_label(r.fix) { <span class="badge badge-fix">{ label }</span> }
                    if r.stage_aware { <span class="badge">{ "stage-aware" }</span> }
                </summary>
                <div class="rule-meta muted">{ format!("Mirrors: {sources}") }</div>
                { render_doc(&r.doc_markdown()) }
            </details>
        </li>
    }
}

/// Renders a rule doc (the markdown subset of the rule files) as text nodes.
pub fn render_doc(md: &str) -> Html {
    let mut blocks: Vec<Html> = Vec::new();
    let mut para: Vec<&str> = Vec::new();
    let mut list: Vec<&str> = Vec::new();
    let mut code: Option<Vec<&str>> = None;
    fn flush(blocks: &mut Vec<Html>, para: &mut Vec<&str>, list: &mut Vec<&str>) {
        if !para.is_empty() {
            blocks.push(html! { <p>{ inline(&para.join(" ")) }</p> });
            para.clear();
        }
        if !list.is_empty() {
            let items = list.iter().map(|i| html! { <li>{ inline(i) }</li> });
            blocks.push(html! { <ul>{ for items }</ul> });
            list.clear();
        }
    }
    for line in md.lines() {
        if let Some(lines) = code.as_mut() {
            if line.trim_start().starts_with("```") {
                let text = lines.join("\n");
                blocks.push(html! { <pre class="doc-code"><code>{ text }</code></pre> });
                code = None;
            } else {
                lines.push(line);
            }
            continue;
        }
        let t = line.trim();
        if t.starts_with("```") {
            flush(&mut blocks, &mut para, &mut list);
            code = Some(Vec::new());
        } else if let Some(h) = t.strip_prefix("## ").or_else(|| t.strip_prefix("# ")) {
            flush(&mut blocks, &mut para, &mut list);
            blocks.push(html! { <h4>{ h.to_string() }</h4> });
        } else if let Some(item) = t.strip_prefix("- ").or_else(|| t.strip_prefix("* ")) {
            if !para.is_empty() {
                let p = std::mem::take(&mut para);
                blocks.push(html! { <p>{ inline(&p.join(" ")) }</p> });
            }
            list.push(item);
        } else if t.is_empty() {
            flush(&mut blocks, &mut para, &mut list);
        } else if !list.is_empty() && line.starts_with("  ") {
            // A continuation of the last list item is shown as its own item line.
            list.push(t);
        } else {
            if !list.is_empty() {
                let mut empty = Vec::new();
                flush(&mut blocks, &mut empty, &mut list);
            }
            para.push(t);
        }
    }
    if let Some(lines) = code {
        let text = lines.join("\n");
        blocks.push(html! { <pre class="doc-code"><code>{ text }</code></pre> });
    }
    flush(&mut blocks, &mut para, &mut list);
    html! { <div class="rule-doc">{ for blocks }</div> }
}

/// Inline markup: `code` and [text](https://…) links; everything else stays text.
fn inline(s: &str) -> Html {
    let mut out: Vec<Html> = Vec::new();
    let mut text = String::new();
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        if c == '`' {
            if let Some(end) = rest[1..].find('`') {
                out.push(html! { <>{ std::mem::take(&mut text) }</> });
                out.push(html! { <code>{ rest[1..1 + end].to_string() }</code> });
                rest = &rest[end + 2..];
                continue;
            }
        } else if c == '[' {
            if let Some((label, url, used)) = link(rest) {
                out.push(html! { <>{ std::mem::take(&mut text) }</> });
                out.push(html! {
                    <a href={url.to_string()} target="_blank" rel="noopener noreferrer">{ label.to_string() }</a>
                });
                rest = &rest[used..];
                continue;
            }
        }
        text.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out.push(html! { <>{ text }</> });
    html! { <>{ for out }</> }
}

/// A `[label](https://url)` at the start of `s`: label, url and bytes used.
fn link(s: &str) -> Option<(&str, &str, usize)> {
    let close = s.find("](")?;
    let label = &s[1..close];
    let after = &s[close + 2..];
    let end = after.find(')')?;
    let url = &after[..end];
    (url.starts_with("https://") && !label.contains('[')).then_some((label, url, close + 3 + end))
}
