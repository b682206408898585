//! A HEALTHCHECK that works in the final stage's base image and tests what the app is known to
//! serve.
//!
//! ## What it does
//! For a final stage that exposes a port (or whose command names one) and has no HEALTHCHECK,
//! adds one that tests that port with a program the image has: Python's `socket`/`urllib` in
//! Python images, `node` in Node images, `ruby` and `php` in theirs, `curl` when the stage
//! installs it, bash's `/dev/tcp` in Debian-based images, BusyBox `wget` in Alpine (for a named
//! path only). Without more knowledge it checks that the port accepts connections; when the file
//! names an HTTP path on that port (`http://localhost:8000/healthz` in a comment or a command,
//! a `*HEALTH*` variable set to `/ready`), it requests that path and wants a success status.
//! It never invents a path such as `/health`: an app without it would answer 404 and be
//! reported unhealthy forever. Distroless and scratch images have no shell and no client, so
//! none is offered there.
//!
//! ## Why is this better?
//! Without a health check, Docker and orchestrators only know whether the process runs, not
//! whether it answers.
//!
//! ## Fix safety
//! Unsafe: a connection check says the server listens, not that it works; point it at a health
//! endpoint when the app has one.
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

/// Programs the stage installs that a check can use.
#[derive(Debug, Clone, Copy, Default)]
pub struct Clients {
    pub curl: bool,
}

/// The check command for an image: a request for `path` when one is known, else a connection
/// to `port` (`None` when the image has nothing to run it with).
pub fn probe(image: &str, clients: Clients, port: u32, path: Option<&str>) -> Option<String> {
    let (repo, tag) = image_repo_tag(image);
    if repo.contains("distroless") || repo == "scratch" {
        return None;
    }
    let alpine = repo == "alpine" || tag.contains("alpine");
    let bash = crate::estimate::bases::resolve(image)
        .base
        .is_some_and(|b| b.shell.contains("bash"));
    if let Some(path) = path {
        let url = format!("http://127.0.0.1:{port}{path}");
        return Some(match image_family(image) {
            Some(Ecosystem::Python) => format!("python -c \"import urllib.request; urllib.request.urlopen('{url}')\" || exit 1"),
            Some(Ecosystem::Node) => format!(
                "node -e \"require('http').get('{url}', r => process.exit(r.statusCode < 400 ? 0 : 1)).on('error', () => process.exit(1))\""
            ),
            Some(Ecosystem::Ruby) => format!("ruby -rnet/http -e \"exit(Net::HTTP.get_response(URI('{url}')).is_a?(Net::HTTPSuccess))\""),
            Some(Ecosystem::Php) => format!("php -r \"exit(@file_get_contents('{url}') === false ? 1 : 0);\""),
            _ if clients.curl => format!("curl -fsS {url} || exit 1"),
            _ if alpine => format!("wget -q --spider {url} || exit 1"),
            _ => return None,
        });
    }
    Some(match image_family(image) {
        Some(Ecosystem::Python) => format!(
            "python -c \"import socket; socket.create_connection(('127.0.0.1', {port}), 5).close()\" || exit 1"
        ),
        Some(Ecosystem::Node) => format!(
            "node -e \"require('net').connect({port}, '127.0.0.1').on('connect', () => process.exit(0)).on('error', () => process.exit(1))\""
        ),
        Some(Ecosystem::Ruby) => format!("ruby -rsocket -e \"TCPSocket.new('127.0.0.1', {port}).close\" || exit 1"),
        Some(Ecosystem::Php) => format!("php -r \"exit(@fsockopen('127.0.0.1', {port}) ? 0 : 1);\""),
        _ if clients.curl => format!("curl -sS -o /dev/null http://127.0.0.1:{port}/ || exit 1"),
        _ if bash && !alpine => format!("bash -c '</dev/tcp/127.0.0.1/{port}' || exit 1"),
        _ => return None,
    })
}

/// An HTTP path the file itself names for `port`: a URL on the loopback or `0.0.0.0` with that
/// port (`http://localhost:8000/healthz`), or the value of a variable whose name says health
/// (`HEALTH_PATH=/ready`).
pub fn named_path(text: &str, port: u32) -> Option<String> {
    for host in ["127.0.0.1", "localhost", "0.0.0.0"] {
        let needle = format!("{host}:{port}/");
        if let Some(at) = text.find(&needle) {
            let rest = &text[at + needle.len() - 1..];
            let path: String = rest
                .chars()
                .take_while(|c| !c.is_whitespace() && !"'\"`;)|&<>\\".contains(*c))
                .collect();
            if path.len() > 1 {
                return Some(path);
            }
        }
    }
    text.split(|c: char| c.is_whitespace() || c == '"' || c == '\'')
        .filter_map(|w| w.split_once('='))
        .find(|(k, v)| {
            k.to_ascii_uppercase().contains("HEALTH") && v.starts_with('/') && v.len() > 1
        })
        .map(|(_, v)| v.to_string())
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
    let clients = Clients {
        curl: stage_chain(cx.model, stage).iter().any(|s| {
            stage_instructions(cx.doc, s).iter().any(|(_, i)| {
                i.keyword == Keyword::Run && util::arg_words(i).iter().any(|w| w == "curl")
            })
        }),
    };
    let path = named_path(cx.text, port);
    let probe = probe(&image, clients, port, path.as_deref())?;
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
    let program = probe.split_whitespace().next().unwrap_or("");
    let what = match &path {
        Some(p) => format!("requests `{p}`, the path this file names for port {port}, and wants a success status"),
        None => format!(
            "checks that port {port} accepts connections (no health path is named in this file, and a guessed one such as `/health` would fail on an app that lacks it); point it at your app's health endpoint if it has one"
        ),
    };
    Some(Draft {
        title: format!("Add a HEALTHCHECK on port {port}"),
        explanation: format!(
            "The final stage {listens} port {port} but has no HEALTHCHECK, so Docker only knows the process runs, not that it \
             answers. The check uses a program `{image}` has (`{program}`) and {what}."
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
