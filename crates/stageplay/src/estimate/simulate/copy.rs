//! COPY and ADD: sources from the build context, an earlier stage or an image, and what each
//! adds to the layer.

use super::known_files::known_file;
use super::{copy_source_stage, words, StageNames};
use crate::estimate::run::{self};
use crate::estimate::size::{human, Size, KB};
use crate::estimate::state::{clean_path, is_at_or_below, Kind, State};
use crate::estimate::EstimateOptions;
use crate::model::{Model, Stage};
use crate::syntax::{Dockerfile, Instruction, Keyword};

#[allow(clippy::too_many_arguments)]
pub(super) fn copy(
    doc: &Dockerfile,
    model: &Model,
    stage: &Stage,
    inst: &Instruction,
    done: &[State],
    st: &mut State,
    opts: &EstimateOptions,
    names: &StageNames,
) -> Vec<String> {
    let line = inst.start_line;
    let mut reasons = Vec::new();
    let mut w = words(doc, inst, st, names);
    let heredoc_sources: Vec<(String, u64)> = inst
        .heredocs()
        .iter()
        .map(|h| (h.name.clone(), h.content.len() as u64))
        .collect();
    w.retain(|x| !x.starts_with("<<"));
    let Some(dest_raw) = w.pop() else {
        return reasons;
    };
    let sources = w;
    let dest = st.abs(&dest_raw);
    let dest_is_dir =
        dest_raw.ends_with('/') || dest_raw == "." || sources.len() + heredoc_sources.len() > 1;
    let target_of = |src: &str| -> String {
        let base = src.trim_end_matches('/').rsplit('/').next().unwrap_or(src);
        if dest_is_dir && !base.is_empty() && base != "." && !base.contains('*') {
            clean_path(&format!("{dest}/{base}"))
        } else {
            dest.clone()
        }
    };
    for (hname, len) in &heredoc_sources {
        let path = if dest_is_dir {
            clean_path(&format!("{dest}/{hname}"))
        } else {
            dest.clone()
        };
        st.add(
            &path,
            Size::exact(*len),
            stage.index,
            line,
            format!("heredoc {hname}"),
            Kind::Context,
        );
    }
    let is_add = inst.keyword == Keyword::Add;
    match inst.flag_value("from") {
        Some(from) => {
            let from_stage = copy_source_stage(names, stage, from);
            if let Some(si) = from_stage {
                let Some(src_state) = done.get(si) else {
                    return reasons;
                };
                debug_assert!(
                    !src_state.dropped,
                    "stage {} read a dropped state",
                    stage.index
                );
                let sname = model
                    .stages
                    .get(si)
                    .map(|s| s.display_name())
                    .unwrap_or_default();
                for src in &sources {
                    let prefix = clean_path(src.split('*').next().unwrap_or(src));
                    let found: Vec<_> = src_state
                        .entries
                        .iter()
                        .filter(|e| e.kind != Kind::Base || prefix == "/")
                        .filter(|e| prefix == "/" || is_at_or_below(&e.path, &prefix))
                        .cloned()
                        .collect();
                    // A binary a build wrote under a name the estimate does not know
                    // (`target/release/[binary]` for `target/release/myapp`).
                    let placeholder = prefix
                        .rsplit_once('/')
                        .map(|(dir, _)| format!("{dir}/[binary]"));
                    let built = src_state
                        .entries
                        .iter()
                        .find(|e| Some(&e.path) == placeholder.as_ref())
                        .cloned();
                    if let (true, Some(b)) = (found.is_empty(), built) {
                        st.add(
                            &target_of(src),
                            b.size,
                            stage.index,
                            line,
                            format!("{src}: {} (from stage {sname}, line {})", b.what, b.line),
                            b.kind.clone(),
                        );
                        reasons.push(format!(
                            "{src} from stage {sname}: {}, {}",
                            b.what,
                            human(b.size.bytes)
                        ));
                        continue;
                    }
                    // Inside an aggregate entry (e.g. the whole context copied to /app): a share of it.
                    let ancestor = src_state
                        .entries
                        .iter()
                        .filter(|e| {
                            e.kind != Kind::Base
                                && prefix
                                    .strip_prefix(e.path.as_str())
                                    .is_some_and(|rest| rest.starts_with('/'))
                        })
                        .max_by_key(|e| e.path.len())
                        .cloned();
                    if let (true, Some(a)) = (found.is_empty(), ancestor) {
                        let size = Size::new(a.size.bytes / 2, 0, a.size.high);
                        st.add(
                            &target_of(src),
                            size,
                            stage.index,
                            line,
                            format!(
                                "{src}: part of {} from stage {sname} (line {})",
                                a.what, a.line
                            ),
                            a.kind.clone(),
                        );
                        reasons.push(format!("{src} from stage {sname}: part of {}", a.path));
                        continue;
                    }
                    if let (true, Some(k)) = (found.is_empty(), known_file(&prefix)) {
                        st.add(
                            &target_of(src),
                            Size::new(k.bytes, k.low, k.high),
                            stage.index,
                            line,
                            format!(
                                "{src} from stage {sname} (from its base image; {})",
                                k.source
                            ),
                            Kind::Other,
                        );
                        reasons.push(format!(
                            "{src} from {sname}: from its base image, {} ({})",
                            human(k.bytes),
                            k.source
                        ));
                        continue;
                    }
                    if found.is_empty() {
                        let size = Size::mb(5.0, 0.001, 300.0);
                        st.add(
                            &target_of(src),
                            size,
                            stage.index,
                            line,
                            format!(
                                "{src} from stage {sname} (part of its base image: size unknown)"
                            ),
                            Kind::Other,
                        );
                        reasons.push(format!(
                            "{src} from {sname}: comes from its base image, size unknown"
                        ));
                        continue;
                    }
                    let mut total = Size::ZERO;
                    let single_file =
                        found.len() == 1 && found.first().is_some_and(|e| e.path == prefix);
                    for e in found {
                        let rel = e.path.strip_prefix(&prefix).unwrap_or("").to_string();
                        let target = if single_file {
                            target_of(src)
                        } else {
                            clean_path(&format!("{dest}/{rel}"))
                        };
                        total += e.size;
                        let kind = if matches!(e.kind, Kind::Base) {
                            Kind::Other
                        } else {
                            e.kind.clone()
                        };
                        st.add(
                            &target,
                            e.size,
                            stage.index,
                            line,
                            format!("{} (from stage {sname}, line {})", e.what, e.line),
                            kind,
                        );
                    }
                    reasons.push(format!("{src} from stage {sname}: {}", human(total.bytes)));
                }
            } else {
                let resolved = names.resolve(from);
                let class = resolved.base.is_none().then_some(resolved.class).flatten();
                let Some(b) = resolved.base.or(class) else {
                    for src in &sources {
                        st.add(
                            &target_of(src),
                            Size::mb(10.0, 0.001, 500.0),
                            stage.index,
                            line,
                            format!("{src} from unknown image {from} (fallback size)"),
                            Kind::Other,
                        );
                    }
                    reasons.push(format!(
                        "from image {from}: not in the knowledge base, fallback 10 MB (1 kB–500 MB)"
                    ));
                    st.notes
                        .push(format!("{from}: unknown image in COPY --from"));
                    return reasons;
                };
                let image_label = match class {
                    Some(c) => format!(
                        "unknown image {from}, sized as its class {}",
                        c.name.trim_start_matches("class:")
                    ),
                    None => b.name.clone(),
                };
                if class.is_some() {
                    st.notes.push(format!(
                        "{from}: unknown image in COPY --from, sized as its class {}",
                        b.name.trim_start_matches("class:")
                    ));
                }
                for src in &sources {
                    let p = clean_path(src);
                    let (size, fallback) = if p == "/" {
                        (Size::new(b.bytes, b.low_bytes, b.high_bytes), false)
                    } else if let Some((_, bytes)) =
                        b.files.iter().find(|(fp, _)| clean_path(fp) == p)
                    {
                        (Size::rel(*bytes, 0.3, 0.5), false)
                    } else {
                        let high = (b.high_bytes as f64 / 1e6).max(1.0);
                        (Size::mb(5.0, 0.001, high), true)
                    };
                    st.add(
                        &target_of(src),
                        size,
                        stage.index,
                        line,
                        format!("{src} from image {image_label}"),
                        Kind::Other,
                    );
                    if fallback {
                        reasons.push(format!(
                            "{src}: a path the knowledge base does not list in the image (fallback 5 MB, up to the image's size)"
                        ));
                    }
                }
                reasons.push(format!("from image {image_label} ({})", b.source));
            }
        }
        None => {
            for src in &sources {
                if is_add && src.contains("://") {
                    let size = Size::mb(10.0, 0.001, 500.0);
                    st.add(
                        &target_of(src),
                        size,
                        stage.index,
                        line,
                        format!("downloaded {src} (size unknown)"),
                        Kind::Download,
                    );
                    reasons.push(format!("ADD {src}: remote file, size unknown"));
                    continue;
                }
                let (mut size, label) = run::context_source(src, opts);
                let archive = [".tar.gz", ".tgz", ".tar.xz", ".tar.bz2", ".tar"]
                    .iter()
                    .any(|s| src.ends_with(s));
                if is_add && archive {
                    size = Size::new(
                        size.bytes.saturating_mul(3),
                        size.low,
                        size.high.saturating_mul(5),
                    );
                    reasons.push(format!("ADD unpacks {src} (~3× the archive)"));
                }
                if src == "." || src == "./" {
                    st.add(
                        &dest,
                        size,
                        stage.index,
                        line,
                        format!("build context: {label}"),
                        Kind::Context,
                    );
                } else {
                    st.add(
                        &target_of(src),
                        size,
                        stage.index,
                        line,
                        label.clone(),
                        Kind::Context,
                    );
                }
                reasons.push(format!("context: {label}"));
            }
            if sources.is_empty() && heredoc_sources.is_empty() {
                st.add(
                    &dest,
                    Size::new(KB, 0, 10 * KB),
                    stage.index,
                    line,
                    "copied file".into(),
                    Kind::Context,
                );
            }
        }
    }
    if inst.flag_value("chown").is_some() || inst.flag_value("chmod").is_some() {
        reasons.push("--chown/--chmod in the same layer: no extra copy".into());
    }
    reasons
}
