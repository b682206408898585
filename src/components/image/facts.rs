//! Fact cards about the final image: user, shell, package manager, build tools, caches, secrets,
//! ENTRYPOINT/CMD with their source, ports, healthcheck. Problems are warning cards.

use super::line_button;
use stageplay::analysis::Analysis;
use stageplay::estimate::size::human;
use yew::prelude::*;

fn card(title: &str, warn: bool, body: Html) -> Html {
    html! {
        <div class={classes!("img-card", warn.then_some("img-card-warn"))} role={warn.then_some("alert")}>
            <h4>{ if warn { "⚠ " } else { "" } }{ title.to_string() }</h4>
            { body }
        </div>
    }
}

/// `["python", "/app/main.py"]`, the exec form as Docker shows it.
fn command(words: &[String]) -> String {
    let quoted: Vec<String> = words.iter().map(|w| format!("{w:?}")).collect();
    format!("[{}]", quoted.join(", "))
}

pub(super) fn cards(analysis: &Analysis, jump: &Callback<u32>) -> Html {
    let e = analysis.estimate();
    let f = &e.facts;
    let at = |line: u32| line_button(analysis, jump, line);
    let mut cards = Vec::new();

    let tools: Vec<_> = f
        .build_tools
        .iter()
        .filter(|t| !t.name.ends_with(" cache"))
        .collect();
    if tools.is_empty() {
        cards.push(card(
            "Compilers and build tools",
            false,
            html! { <p>{ "None found in the final image." }</p> },
        ));
    } else {
        let advice = if analysis.model.stages.len() < 2 {
            "Build in a separate stage and copy only the result."
        } else {
            "The target stage still has them: copy only the build output from the builder."
        };
        cards.push(card(
            "Build tools in final image",
            true,
            html! {
                <>
                <ul class="img-list">{ for tools.iter().map(|t| html! {
                    <li>{ at(t.line) }<span class="mono">{ t.name.clone() }</span>
                        <span class="muted">{ format!(" {}", t.via) }</span></li>
                }) }</ul>
                <p class="muted">{ advice }</p>
                </>
            },
        ));
    }

    let user_note = f.warnings.iter().find(|w| w.starts_with("USER "));
    cards.push(card(
        "User",
        f.runs_as_root || user_note.is_some(),
        html! {
            <p>
                <span class="mono">{ f.user.clone() }</span>
                <span class="muted">{ format!(" from {}", f.user_source) }</span>
                if f.runs_as_root { <br/>{ "Runs as root: add a USER." } }
                if let Some(w) = user_note { <br/>{ w.clone() } }
            </p>
        },
    ));
    cards.push(card(
        "Shell",
        false,
        html! { <p>{ f.shell.as_deref().map(readable_list).unwrap_or_else(|| "none (no shell: docker exec … sh will not work)".into()) }</p> },
    ));
    cards.push(card(
        "Package manager",
        false,
        html! { <p>{ f.package_manager.as_deref().map(readable_list).unwrap_or_else(|| "none".into()) }</p> },
    ));

    if !f.caches.is_empty() {
        let left = f.caches.iter().any(|c| c.in_image);
        cards.push(card(
            if left { "Caches left behind" } else { "Caches" },
            left,
            html! {
                <ul class="img-list">{ for f.caches.iter().map(|c| html! {
                    <li>{ at(c.line) }<span class="mono">{ c.path.clone() }</span>
                        { if c.in_image { format!(" {} in the image", human(c.bytes)) }
                          else { " cache mount, not in the image".to_string() } }</li>
                }) }</ul>
            },
        ));
    }
    if !f.secrets.is_empty() {
        cards.push(card(
            "Secrets in ARG/ENV",
            true,
            html! {
                <>
                <ul class="img-list">{ for f.secrets.iter().map(|s| html! {
                    <li>{ at(s.line) }<span class="mono">{ format!("{} {}", s.instruction, s.name) }</span></li>
                }) }</ul>
                <p class="muted">{ "ARG and ENV values stay in the image history: use RUN --mount=type=secret." }</p>
                </>
            },
        ));
    }

    let run_line = |label: &str, value: &Option<Vec<String>>, source: &Option<String>| {
        html! {
            <p><span class="img-key">{ label.to_string() }</span>
                <span class="mono">{ value.as_deref().map_or_else(|| "none".to_string(), command) }</span>
                if let Some(s) = source { <span class="muted">{ format!(" from {s}") }</span> }
            </p>
        }
    };
    cards.push(card(
        "Runs",
        f.entrypoint.is_none() && f.cmd.is_none(),
        html! {
            <>
            { run_line("ENTRYPOINT", &f.entrypoint, &f.entrypoint_source) }
            { run_line("CMD", &f.cmd, &f.cmd_source) }
            </>
        },
    ));
    cards.push(card(
        "Exposed ports",
        false,
        html! { <p>{ if f.exposed_ports.is_empty() { "none".to_string() } else { f.exposed_ports.join(", ") } }</p> },
    ));
    cards.push(card(
        "Healthcheck",
        false,
        html! { <p class={classes!(f.healthcheck.is_none().then_some("muted"))}>
        { f.healthcheck.clone().unwrap_or_else(|| "none".into()) }</p> },
    ));
    let system: Vec<String> = [f.os.clone(), f.libc.clone()]
        .into_iter()
        .flatten()
        .collect();
    cards.push(card(
        "System",
        false,
        html! { <p>{ if system.is_empty() { "unknown".into() } else { system.join(" / ") } }
        <br/><span class="muted">{ format!("WORKDIR {}", f.workdir) }</span></p> },
    ));
    html! {
        <section class="img-section" aria-label="Facts">
            <h3>{ "Facts" }</h3>
            <div class="img-cards">{ for cards }</div>
        </section>
    }
}

/// A knowledge-base list as prose: `bash,sh(dash)` → `bash, sh (dash)`, `apt+pip` → `apt + pip`.
fn readable_list(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len() + 8);
    for c in raw.chars() {
        match c {
            ',' => out.push_str(", "),
            '+' => out.push_str(" + "),
            '(' if !out.ends_with(' ') => out.push_str(" ("),
            c => out.push(c),
        }
    }
    out
}
