//! A HEALTHCHECK that works in the final stage's base image.
//!
//! ## What it does
//! For a final stage that exposes a port and has no HEALTHCHECK, adds one that polls
//! `http://127.0.0.1:<port>/health` with a program the image has: Python's `urllib` in Python
//! images (the founding guide's check), `node` in Node images, `ruby` and `php` in theirs,
//! BusyBox `wget` in Alpine, `curl` when the stage installs it. Distroless and scratch images
//! have no shell and no client, so none is offered there.
//!
//! ## Why is this better?
//! Without a health check, Docker and orchestrators only know whether the process runs, not
//! whether it answers.
//!
//! ## Fix safety
//! Unsafe: the `/health` path is a guess; point it at an endpoint the app serves.
//!
//! ## References
//! Founding guide, "Production Multi-Stage with Security"; Docker docs, "HEALTHCHECK".

use super::project::{image_family, root_image, stage_chain, Ecosystem};
use super::util::{self, image_repo_tag, stage_instructions};
use super::{Context, Draft, RefactorMeta};
use crate::diagnostic::{Applicability, TextEdit};
use crate::span::Span;
use crate::syntax::Keyword;

pub const META: RefactorMeta = RefactorMeta {
    id: "healthcheck",
    title: "Add a HEALTHCHECK that works in this image",
    sources: &[
        (
            "Founding guide: Production Multi-Stage with Security",
            "https://docs.docker.com/reference/dockerfile/#healthcheck",
        ),
        (
            "Docker docs: HEALTHCHECK",
            "https://docs.docker.com/reference/dockerfile/#healthcheck",
        ),
    ],
};

/// The check command for an image (`None` when the image has nothing to run it with).
pub fn probe(image: &str, has_curl: bool, port: u32) -> Option<String> {
    let url = format!("http://127.0.0.1:{port}/health");
    let (repo, tag) = image_repo_tag(image);
    if repo.contains("distroless") || repo == "scratch" {
        return None;
    }
    Some(match image_family(image) {
        Some(Ecosystem::Python) => format!("python -c \"import urllib.request; urllib.request.urlopen('{url}')\" || exit 1"),
        Some(Ecosystem::Node) => format!(
            "node -e \"require('http').get('{url}', r => process.exit(r.statusCode < 400 ? 0 : 1)).on('error', () => process.exit(1))\""
        ),
        Some(Ecosystem::Ruby) => format!("ruby -rnet/http -e \"exit(Net::HTTP.get_response(URI('{url}')).is_a?(Net::HTTPSuccess))\""),
        Some(Ecosystem::Php) => format!("php -r \"exit(@file_get_contents('{url}') === false ? 1 : 0);\""),
        _ if has_curl => format!("curl -fsS {url} || exit 1"),
        _ if repo == "alpine" || tag.contains("alpine") => format!("wget -q --spider {url} || exit 1"),
        _ => return None,
    })
}

pub fn check(cx: &Context) -> Option<Draft> {
    let stage = util::final_stage(cx.model)?;
    let instrs = stage_instructions(cx.doc, stage);
    if instrs
        .iter()
        .any(|(_, i)| i.keyword == Keyword::Healthcheck)
    {
        return None;
    }
    let exposed = instrs
        .iter()
        .filter(|(_, i)| i.keyword == Keyword::Expose)
        .find_map(|(_, i)| {
            util::arg_text(i)
                .split_whitespace()
                .find_map(|p| p.split('/').next().and_then(|n| n.parse::<u32>().ok()))
        });
    let (port, listens) = match exposed {
        Some(p) => (p, "exposes"),
        None => (
            command_port(&util::run_command(cx.doc, stage))?,
            "runs a server on",
        ),
    };
    let image = root_image(cx.model, stage);
    let has_curl = stage_chain(cx.model, stage).iter().any(|s| {
        stage_instructions(cx.doc, s).iter().any(|(_, i)| {
            i.keyword == Keyword::Run && util::arg_words(i).iter().any(|w| w == "curl")
        })
    });
    let probe = probe(&image, has_curl, port)?;
    // Before the trailing EXPOSE/CMD/ENTRYPOINT block.
    let tail = instrs
        .iter()
        .rposition(|(_, i)| {
            !matches!(
                i.keyword,
                Keyword::Expose
                    | Keyword::Cmd
                    | Keyword::Entrypoint
                    | Keyword::Label
                    | Keyword::Stopsignal
            )
        })
        .map_or(0, |p| p + 1);
    let at = match instrs.get(tail) {
        Some((_, ins)) => util::line_span(cx.text, ins.span, true).start,
        None => {
            util::line_span(
                cx.text,
                instrs.last().map_or(stage.span, |(_, i)| i.span),
                false,
            )
            .end
        }
    };
    let line = format!("HEALTHCHECK --interval=30s --timeout=10s --start-period=5s --retries=3 \\\n    CMD {probe}\n\n");
    let insert = if instrs.get(tail).is_some() {
        line
    } else {
        format!("\n{}", line.trim_end()) + "\n"
    };
    Some(Draft {
        title: format!("Add a HEALTHCHECK on port {port}"),
        explanation: format!(
            "The final stage {listens} port {port} but has no HEALTHCHECK, so Docker only knows the process runs, not that it \
             answers. The check uses a program `{image}` has ({}), as in the founding guide. `/health` is a guess: use a path \
             your app serves.",
            probe.split_whitespace().next().unwrap_or("")
        ),
        applicability: Applicability::Unsafe,
        edits: vec![TextEdit { span: Span::empty(at), insert }],
    })
}

/// The port a server command listens on: `--port N`, `-p N`, `--bind HOST:N`, `HOST:N`.
fn command_port(words: &[String]) -> Option<u32> {
    for (i, w) in words.iter().enumerate() {
        if matches!(w.as_str(), "--port" | "-p" | "--server.port") {
            if let Some(p) = words.get(i + 1).and_then(|p| p.parse().ok()) {
                return Some(p);
            }
        }
        if let Some(p) = w
            .strip_prefix("--port=")
            .or_else(|| w.strip_prefix("--server.port="))
        {
            if let Ok(p) = p.parse() {
                return Some(p);
            }
        }
        if let Some((host, p)) = w.rsplit_once(':') {
            if (host.ends_with("0.0.0.0")
                || host.ends_with("127.0.0.1")
                || host.ends_with("localhost"))
                && !host.contains('/')
            {
                if let Ok(p) = p.parse() {
                    return Some(p);
                }
            }
        }
    }
    None
}
