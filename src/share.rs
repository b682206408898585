//! Share links: the Dockerfile and the settings around it, compressed into the URL fragment.
//!
//! A link is `…#s=<base64url>`. The payload is one version byte, then an LZ77-compressed
//! body: the settings as JSON (through serde), a NUL byte (JSON text never contains one),
//! and the Dockerfile's bytes unchanged, so CRLF, tabs and any Unicode come back byte-exact.
//! The fragment never reaches a server. Decoding is defensive: a damaged or hostile link gives
//! an error, never a panic, and never more than [`MAX_TEXT_BYTES`] of output.

use serde::{Deserialize, Serialize};

/// The fragment key of a share link: `#s=…`.
pub const FRAGMENT_KEY: &str = "s=";
/// The payload version this code writes and reads.
const VERSION: u8 = 1;
/// Decompression stops past this size (the analysis refuses larger inputs anyway).
pub const MAX_TEXT_BYTES: usize = 10 * 1024 * 1024 + 64 * 1024;

/// Everything a link carries besides the text. Empty settings are left out of the JSON.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "t")]
    pub target: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty", rename = "a")]
    pub build_args: Vec<(String, String)>,
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "c")]
    pub context_bytes: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "i")]
    pub dockerignore: Option<String>,
    /// The pane id (`graph`, `image`, `suggestions`, `problems`).
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "p")]
    pub pane: Option<String>,
}

/// A decoded share link.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Shared {
    pub text: String,
    pub settings: Settings,
}

/// Encodes text and settings as the fragment value (without `#s=`).
pub fn encode(text: &str, settings: &Settings) -> String {
    let mut body = serde_json::to_vec(settings).unwrap_or_else(|_| b"{}".to_vec());
    body.push(0);
    body.extend_from_slice(text.as_bytes());
    let mut payload = vec![VERSION];
    payload.extend(compress(&body));
    base64url_encode(&payload)
}

/// Decodes a fragment value (without `#s=`).
pub fn decode(value: &str) -> Result<Shared, String> {
    let payload = base64url_decode(value.trim()).ok_or("the link is not valid base64url")?;
    let (&version, rest) = payload.split_first().ok_or("the link is empty")?;
    if version != VERSION {
        return Err(format!("unknown share link version {version}"));
    }
    let body = decompress(rest, MAX_TEXT_BYTES)?;
    let nul = body
        .iter()
        .position(|&b| b == 0)
        .ok_or("the link has no settings")?;
    let settings: Settings = serde_json::from_slice(&body[..nul])
        .map_err(|e| format!("the link's settings are damaged: {e}"))?;
    let text = String::from_utf8(body[nul + 1..].to_vec())
        .map_err(|_| "the link's text is not UTF-8".to_string())?;
    Ok(Shared { text, settings })
}

/// The share value inside a URL fragment (`#s=…`, possibly among other `&`-separated keys).
pub fn fragment_value(hash: &str) -> Option<&str> {
    hash.trim_start_matches('#')
        .split('&')
        .find_map(|part| part.strip_prefix(FRAGMENT_KEY))
}

// ---- LZ77 ----
//
// The stream is a sequence of `varint(literal count), literals, varint(length - MIN_MATCH),
// varint(distance - 1)`; it ends right after a literal run that reaches the end of the input.

const MIN_MATCH: usize = 4;
const WINDOW: usize = 1 << 16;
const HASH_BITS: u32 = 15;
const MAX_CHAIN: usize = 48;

fn hash4(b: &[u8]) -> usize {
    let v = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
    (v.wrapping_mul(2_654_435_761) >> (32 - HASH_BITS)) as usize
}

/// Compresses `input` (greedy LZ77 with a one-step lazy match over a hash chain).
pub fn compress(input: &[u8]) -> Vec<u8> {
    let n = input.len();
    let mut out = Vec::with_capacity(n / 2 + 16);
    // Chains over the last WINDOW positions only, so memory stays constant.
    let mut head = vec![usize::MAX; 1 << HASH_BITS];
    let mut prev = vec![usize::MAX; WINDOW];
    let mut inserted = 0; // positions below this are in the chains
    let mut literal_start = 0;
    let mut i = 0;
    let find = |i: usize, head: &[usize], prev: &[usize]| -> (usize, usize) {
        let mut best = (0, 0);
        if i + MIN_MATCH > n {
            return best;
        }
        let mut cand = head[hash4(&input[i..])];
        let mut steps = 0;
        while cand != usize::MAX && i - cand < WINDOW && steps < MAX_CHAIN {
            let len = input[cand..]
                .iter()
                .zip(&input[i..])
                .take_while(|(a, b)| a == b)
                .count();
            if len > best.0 {
                best = (len, i - cand);
                if i + len == n {
                    break;
                }
            }
            let older = prev[cand % WINDOW];
            if older >= cand {
                break;
            }
            cand = older;
            steps += 1;
        }
        best
    };
    let insert_to = |upto: usize, inserted: &mut usize, head: &mut [usize], prev: &mut [usize]| {
        while *inserted < upto && *inserted + MIN_MATCH <= n {
            let h = hash4(&input[*inserted..]);
            prev[*inserted % WINDOW] = head[h];
            head[h] = *inserted;
            *inserted += 1;
        }
    };
    while i < n {
        insert_to(i, &mut inserted, &mut head, &mut prev);
        let (mut len, mut dist) = find(i, &head, &prev);
        if len >= MIN_MATCH && i + 1 < n {
            insert_to(i + 1, &mut inserted, &mut head, &mut prev);
            let (len2, dist2) = find(i + 1, &head, &prev);
            if len2 > len + 1 {
                i += 1;
                (len, dist) = (len2, dist2);
            }
        }
        if len < MIN_MATCH {
            i += 1;
            continue;
        }
        put_varint(&mut out, (i - literal_start) as u64);
        out.extend_from_slice(&input[literal_start..i]);
        put_varint(&mut out, (len - MIN_MATCH) as u64);
        put_varint(&mut out, (dist - 1) as u64);
        i += len;
        literal_start = i;
    }
    put_varint(&mut out, (n - literal_start) as u64);
    out.extend_from_slice(&input[literal_start..]);
    out
}

/// Decompresses what [`compress`] wrote; fails on damaged input or output above `limit`.
pub fn decompress(data: &[u8], limit: usize) -> Result<Vec<u8>, String> {
    const DAMAGED: &str = "the link is damaged";
    let mut out: Vec<u8> = Vec::new();
    let mut pos = 0;
    loop {
        let lits = get_varint(data, &mut pos).ok_or(DAMAGED)?;
        let lits = usize::try_from(lits).map_err(|_| DAMAGED)?;
        let end = pos.checked_add(lits).ok_or(DAMAGED)?;
        let chunk = data.get(pos..end).ok_or(DAMAGED)?;
        if out.len() + chunk.len() > limit {
            return Err("the shared text is too large".into());
        }
        out.extend_from_slice(chunk);
        pos = end;
        if pos == data.len() {
            return Ok(out);
        }
        let len = get_varint(data, &mut pos).ok_or(DAMAGED)?;
        let dist = get_varint(data, &mut pos).ok_or(DAMAGED)?;
        let len = usize::try_from(len)
            .ok()
            .and_then(|l| l.checked_add(MIN_MATCH))
            .ok_or(DAMAGED)?;
        let dist = usize::try_from(dist)
            .ok()
            .and_then(|d| d.checked_add(1))
            .ok_or(DAMAGED)?;
        if dist > out.len() {
            return Err(DAMAGED.into());
        }
        if out.len() + len > limit {
            return Err("the shared text is too large".into());
        }
        let from = out.len() - dist;
        for k in 0..len {
            let b = out[from + k];
            out.push(b);
        }
    }
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn get_varint(data: &[u8], pos: &mut usize) -> Option<u64> {
    let mut v: u64 = 0;
    for shift in (0..64).step_by(7) {
        let b = *data.get(*pos)?;
        *pos += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Some(v);
        }
    }
    None
}

// ---- base64url without padding (RFC 4648 §5) ----

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

pub fn base64url_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let v = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..=chunk.len() {
            out.push(ALPHABET[((v >> (18 - 6 * k)) & 63) as usize] as char);
        }
    }
    out
}

pub fn base64url_decode(s: &str) -> Option<Vec<u8>> {
    let s = s.trim_end_matches('=');
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    (bits < 6).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> Settings {
        Settings {
            target: Some("runtime".into()),
            build_args: vec![
                ("PY".into(), "3.12".into()),
                ("É=\"x\"".into(), "\t\n".into()),
            ],
            context_bytes: Some(12_345_678),
            dockerignore: Some(".git\r\nnode_modules\n".into()),
            pane: Some("image".into()),
        }
    }

    #[test]
    fn round_trips_crlf_tabs_unicode_and_settings() {
        let text = "FROM alpine\r\n\tRUN echo \"héllo wörld\" ✓ 🐳\r\n# \u{0}nul and \u{feff}bom\n";
        let back = decode(&encode(text, &settings())).unwrap();
        assert_eq!(back.text.as_bytes(), text.as_bytes());
        assert_eq!(back.settings, settings());
        let empty = decode(&encode("", &Settings::default())).unwrap();
        assert_eq!(empty, Shared::default());
    }

    #[test]
    fn round_trips_large_and_repetitive_text() {
        let mut text = String::new();
        let mut n: u32 = 7;
        while text.len() < 300_000 {
            n = n.wrapping_mul(1_103_515_245).wrapping_add(12345);
            text.push_str(&format!(
                "RUN echo {} && apt-get install -y pkg{}\r\n",
                n % 97,
                n % 13
            ));
        }
        let encoded = encode(&text, &Settings::default());
        assert!(
            encoded.len() < text.len() / 2,
            "{} vs {}",
            encoded.len(),
            text.len()
        );
        assert_eq!(decode(&encoded).unwrap().text, text);
        let zeros = "a".repeat(200_000);
        assert!(encode(&zeros, &Settings::default()).len() < 200);
        assert_eq!(
            decode(&encode(&zeros, &Settings::default())).unwrap().text,
            zeros
        );
    }

    #[test]
    fn base64url_matches_rfc4648_vectors() {
        for (raw, enc) in [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64url_encode(raw.as_bytes()), enc);
            assert_eq!(base64url_decode(enc).unwrap(), raw.as_bytes());
        }
        assert_eq!(base64url_encode(&[0xfb, 0xff]), "-_8");
        assert_eq!(base64url_decode("Z"), None);
        assert_eq!(base64url_decode("Zm9v!"), None);
    }

    #[test]
    fn damaged_and_hostile_links_are_errors_not_panics() {
        let good = encode("FROM alpine\nRUN true\n", &settings());
        for bad in ["", "!!!", "AA", "AQ", "Ag", "AQ_____________w", "AQAA"] {
            assert!(decode(bad).is_err(), "{bad}");
        }
        for cut in 0..good.len() {
            let _ = decode(&good[..cut]);
        }
        // A tiny stream that claims a huge run of copies stops at the limit.
        let mut bomb = vec![1u8];
        put_varint(&mut bomb, 1);
        bomb.push(b'a');
        put_varint(&mut bomb, u64::MAX >> 1);
        put_varint(&mut bomb, 0);
        assert!(decode(&base64url_encode(&bomb)).is_err());
        let mut seed: u32 = 1;
        for _ in 0..2000 {
            let junk: Vec<u8> = (0..40)
                .map(|_| {
                    seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                    (seed >> 24) as u8
                })
                .collect();
            let _ = decode(&base64url_encode(&junk));
        }
    }

    #[test]
    fn finds_the_value_among_fragment_keys() {
        assert_eq!(fragment_value("#s=abc"), Some("abc"));
        assert_eq!(fragment_value("#x=1&s=abc"), Some("abc"));
        assert_eq!(fragment_value("#other"), None);
    }

    /// Acceptance: every corpus file up to 100 KB comes back byte-exact (as UTF-8 text;
    /// the few corpus files that are not UTF-8 cannot be typed into the editor either).
    #[test]
    fn every_corpus_file_up_to_100_kb_round_trips_byte_exact() {
        let root =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/stageplay/tests/corpus");
        let mut stack = vec![root.clone()];
        let (mut checked, mut skipped_non_utf8, mut raw, mut encoded_len) = (0, 0, 0, 0);
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let bytes = std::fs::read(&path).unwrap();
                if bytes.len() > 100 * 1024 {
                    continue;
                }
                let Ok(text) = String::from_utf8(bytes) else {
                    skipped_non_utf8 += 1;
                    continue;
                };
                let encoded = encode(&text, &settings());
                let back = decode(&encoded).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                assert_eq!(back.text.as_bytes(), text.as_bytes(), "{}", path.display());
                assert_eq!(back.settings, settings());
                checked += 1;
                raw += text.len();
                encoded_len += encoded.len();
            }
        }
        assert!(
            checked > 400,
            "only {checked} corpus files under {}",
            root.display()
        );
        eprintln!("share links: {checked} corpus files round-trip ({skipped_non_utf8} not UTF-8), {raw} bytes -> {encoded_len} link characters");
    }

    /// The links the browser tests open (tests/e2e/share.fixture.json) decode to their texts
    /// and settings; `UPDATE_EXPECT=1` rewrites the fragments.
    #[test]
    fn e2e_fixture_links_match_the_codec() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/e2e/share.fixture.json");
        let mut cases: Vec<serde_json::Value> =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let update = std::env::var_os("UPDATE_EXPECT").is_some();
        for case in &mut cases {
            let text = case["text"].as_str().unwrap().to_string();
            let settings: Settings = serde_json::from_value(case["settings"].clone()).unwrap();
            let fragment = format!("{FRAGMENT_KEY}{}", encode(&text, &settings));
            if update {
                case["fragment"] = fragment.into();
                continue;
            }
            assert_eq!(
                case["fragment"].as_str(),
                Some(fragment.as_str()),
                "{}: run with UPDATE_EXPECT=1",
                case["name"]
            );
            let back = decode(fragment_value(&fragment).unwrap()).unwrap();
            assert_eq!((back.text, back.settings), (text, settings));
        }
        if update {
            let json = serde_json::to_string_pretty(&cases).unwrap() + "\n";
            std::fs::write(&path, json).unwrap();
        }
    }
}
