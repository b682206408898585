//! `cargo xtask serve`: build the release app and serve `dist/` on 127.0.0.1.
//!
//! The server is a small static file server (std only) so serving needs nothing else installed.
//! It serves the app under `/` and, for embedding tests, under any prefix given to [`serve_dir`].

use crate::tools;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub fn run(args: &[String]) -> Result<(), String> {
    let port: u16 = match crate::option_value(args, "--port") {
        Some(p) => p
            .parse()
            .map_err(|_| format!("--port takes a number, got '{p}'"))?,
        None => 8080,
    };
    let dist = tools::dist_dir(args);
    if !args.iter().any(|a| a == "--no-build") {
        let web = tools::ensure_web_tools()?;
        tools::build_release_into(&web, None, &dist)?;
    }
    let listener = TcpListener::bind(("127.0.0.1", port))
        .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    println!("Stageplay is served at http://{addr}/  (Ctrl-C to stop)");
    serve_forever(
        listener,
        vec![Mount {
            prefix: "/".into(),
            dir: dist,
        }],
    );
    Ok(())
}

/// A folder served under a URL prefix (which starts and ends with `/`).
#[derive(Clone)]
pub struct Mount {
    pub prefix: String,
    pub dir: PathBuf,
}

/// Starts a server on a free loopback port in a background thread; returns its base URL.
pub fn serve_in_background(mounts: Vec<Mount>) -> Result<String, String> {
    let listener = TcpListener::bind(("127.0.0.1", 0))
        .map_err(|e| format!("cannot listen on loopback: {e}"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    std::thread::spawn(move || serve_forever(listener, mounts));
    Ok(format!("http://{addr}"))
}

fn serve_forever(listener: TcpListener, mounts: Vec<Mount>) {
    let mounts = Arc::new(mounts);
    for stream in listener.incoming().flatten() {
        let mounts = Arc::clone(&mounts);
        std::thread::spawn(move || {
            let _ = handle(stream, &mounts);
        });
    }
}

fn handle(stream: TcpStream, mounts: &[Mount]) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut stream = stream;
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line)? == 0 {
            return Ok(());
        }
        let mut content_length = 0usize;
        let mut accepts_gzip = false;
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header)? == 0 {
                return Ok(());
            }
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((k, v)) = header.split_once(':') {
                if k.eq_ignore_ascii_case("content-length") {
                    content_length = v.trim().parse().unwrap_or(0);
                }
                if k.eq_ignore_ascii_case("accept-encoding") {
                    accepts_gzip = v.split(',').any(|e| e.trim().starts_with("gzip"));
                }
            }
        }
        if content_length > 0 {
            let mut body = vec![0; content_length.min(1 << 20)];
            reader.read_exact(&mut body)?;
        }
        let mut parts = request_line.split_whitespace();
        let method = parts.next().unwrap_or("");
        let target = parts.next().unwrap_or("/");
        let path = target.split(['?', '#']).next().unwrap_or("/");
        let (status, content_type, body) = match method {
            "GET" | "HEAD" => respond(mounts, path),
            _ => (
                "405 Method Not Allowed",
                "text/plain",
                b"method not allowed".to_vec(),
            ),
        };
        // Compress text and wasm as any static host would (`gzip -9`, cached per file content).
        let compressible = content_type.starts_with("text/")
            || content_type.starts_with("application/")
            || content_type.starts_with("image/svg");
        let (body, encoding) = match (accepts_gzip && compressible && body.len() > 512)
            .then(|| gzip_cached(&body))
            .flatten()
        {
            Some(gz) => (gz, "Content-Encoding: gzip\r\nVary: Accept-Encoding\r\n"),
            None => (body, ""),
        };
        let head = format!(
            "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n{encoding}Cache-Control: no-cache\r\nX-Content-Type-Options: nosniff\r\n\r\n",
            body.len()
        );
        stream.write_all(head.as_bytes())?;
        if method != "HEAD" {
            stream.write_all(&body)?;
        }
        stream.flush()?;
    }
}

fn respond(mounts: &[Mount], path: &str) -> (&'static str, &'static str, Vec<u8>) {
    let decoded = percent_decode(path);
    // The longest matching prefix wins, so a sub-path mount can sit beside `/`.
    let mount = mounts
        .iter()
        .filter(|m| {
            decoded.starts_with(&m.prefix)
                || decoded.trim_end_matches('/') == m.prefix.trim_end_matches('/')
        })
        .max_by_key(|m| m.prefix.len());
    let Some(mount) = mount else {
        return ("404 Not Found", "text/plain", b"not found".to_vec());
    };
    let rest = decoded.strip_prefix(&mount.prefix).unwrap_or("");
    if rest.split('/').any(|seg| seg == "..") {
        return ("403 Forbidden", "text/plain", b"forbidden".to_vec());
    }
    let mut file = mount.dir.join(rest);
    if rest.is_empty() || rest.ends_with('/') || file.is_dir() {
        file = file.join("index.html");
    }
    match std::fs::read(&file) {
        Ok(bytes) => ("200 OK", content_type(&file), bytes),
        Err(_) => ("404 Not Found", "text/plain", b"not found".to_vec()),
    }
}

/// `gzip -9` of `body`, cached by content (the server is std only, so it asks the gzip tool).
fn gzip_cached(body: &[u8]) -> Option<Vec<u8>> {
    use std::collections::hash_map::DefaultHasher;
    use std::collections::HashMap;
    use std::hash::{Hash, Hasher};
    use std::sync::{Mutex, OnceLock};
    static CACHE: OnceLock<Mutex<HashMap<u64, Vec<u8>>>> = OnceLock::new();
    let mut h = DefaultHasher::new();
    body.hash(&mut h);
    let key = h.finish();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(hit) = cache.lock().ok()?.get(&key) {
        return Some(hit.clone());
    }
    let mut child = std::process::Command::new("gzip")
        .args(["-9", "-c", "-n"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .ok()?;
    let mut stdin = child.stdin.take()?;
    let input = body.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().ok()?;
    writer.join().ok()?.ok()?;
    if !out.status.success() {
        return None;
    }
    cache.lock().ok()?.insert(key, out.stdout.clone());
    Some(out.stdout)
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "json" | "webmanifest" => "application/manifest+json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" | "md" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            if let Some(v) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
