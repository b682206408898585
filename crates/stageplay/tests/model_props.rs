//! Acceptance 3 of issue 4: property tests over generated Dockerfiles.
//!
//! A small deterministic generator (xorshift, fixed seeds) writes random multi-stage files with
//! named and unnamed stages, duplicate names, FROM of earlier and later stages, `scratch` and
//! ARG-expanded images, COPY --from by name, index (in and out of range) and image, and RUN
//! --mount from=. For each: levels respect every dependency, the target's needed set is closed
//! under dependencies, the layout keeps nodes apart, and nothing panics — also on random bytes.

use stageplay::model::{self, export, layout, EdgeSource, ModelOptions};
use stageplay::syntax;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const NAMES: [&str; 8] = [
    "base", "build", "deps", "test", "lint", "final", "tools", "Build",
];

fn generate(rng: &mut Rng) -> (String, Vec<Option<String>>) {
    let n = 1 + rng.below(14);
    let mut text = String::new();
    if rng.chance(50) {
        text.push_str("ARG VERSION=1.2\nARG IMG=alpine\n");
    }
    let names: Vec<Option<String>> = (0..n)
        .map(|_| {
            if rng.chance(70) {
                Some(NAMES[rng.below(NAMES.len())].to_string())
            } else {
                None
            }
        })
        .collect();
    for i in 0..n {
        let base = match rng.below(6) {
            0 => "scratch".to_string(),
            1 => "${IMG:-debian}:$VERSION".to_string(),
            2 | 3 if i > 0 => names[rng.below(i)]
                .clone()
                .unwrap_or_else(|| "alpine".into()),
            4 => names[rng.below(n)]
                .clone()
                .unwrap_or_else(|| "golang:1.22".into()),
            _ => "alpine:3.20".to_string(),
        };
        let platform = if rng.chance(20) {
            "--platform=$BUILDPLATFORM "
        } else {
            ""
        };
        match &names[i] {
            Some(name) => text.push_str(&format!("FROM {platform}{base} AS {name}\n")),
            None => text.push_str(&format!("FROM {platform}{base}\n")),
        }
        for _ in 0..rng.below(5) {
            let line =
                match rng.below(7) {
                    0 => format!(
                        "COPY --from={} /a /b\n",
                        names[rng.below(n)]
                            .clone()
                            .unwrap_or_else(|| "busybox".into())
                    ),
                    1 => format!("COPY --from={} /a /b\n", rng.below(n + 2)),
                    2 => "COPY --from=ghcr.io/x/y:1 /a /b\n".to_string(),
                    3 => format!(
                    "RUN --mount=type=bind,from={},target=/m --mount=type=cache,target=/c true\n",
                    names[rng.below(n)].clone().unwrap_or_else(|| "busybox".into())
                ),
                    4 => "COPY . /src\n".to_string(),
                    5 => "ARG VERSION\nRUN echo $VERSION\n".to_string(),
                    _ => "RUN --mount=type=secret,id=tok true\n".to_string(),
                };
            text.push_str(&line);
        }
    }
    (text, names)
}

#[test]
fn levels_and_needed_sets_hold_on_generated_files() {
    let mut rng = Rng(0x5EED_2026_1126);
    for case in 0..400 {
        let (text, names) = generate(&mut rng);
        let target = if rng.chance(50) {
            names[rng.below(names.len())].clone()
        } else {
            None
        };
        let opts = ModelOptions {
            target,
            ..ModelOptions::default()
        };
        let doc = syntax::parse(&text);
        let m = model::build(&doc, &opts);
        let ctx = format!("case {case}:\n{text}");
        assert_eq!(m.stages.len(), names.len(), "{ctx}");
        let target = m.target.expect("a target when there are stages");
        assert!(m.stages[target].needed, "{ctx}");

        let level_of = |s: usize| m.levels.iter().position(|l| l.contains(&s));
        // Every stage appears in at most one level; exactly the needed ones appear.
        for s in &m.stages {
            let count = m.levels.iter().filter(|l| l.contains(&s.index)).count();
            assert_eq!(
                count,
                usize::from(s.needed),
                "stage {} in {count} levels; {ctx}",
                s.index
            );
        }
        // Closed under dependencies, and each dependency builds on an earlier level.
        for (s, deps) in m.deps.iter().enumerate() {
            for &d in deps {
                if m.stages[s].needed {
                    assert!(m.stages[d].needed, "stage {s} needs {d}; {ctx}");
                    assert!(
                        level_of(d) < level_of(s),
                        "level of {d} not before {s}; {ctx}"
                    );
                }
            }
        }
        // Every stage edge is in `deps` unless it is a self or circular reference.
        for e in &m.edges {
            if let EdgeSource::Stage(from) = e.from {
                let cyclic = from == e.to
                    || m.diagnostics.iter().any(|d| {
                        d.code == "stage/circular-reference"
                            && (d.span == e.span || d.labels.iter().any(|l| l.span == e.span))
                    });
                assert!(
                    cyclic || m.deps[e.to].contains(&from),
                    "edge {from}->{} missing from deps; {ctx}",
                    e.to
                );
            }
        }
        // The critical path ends at the target and follows dependencies.
        assert_eq!(m.critical_path.last(), Some(&target), "{ctx}");
        for w in m.critical_path.windows(2) {
            assert!(m.deps[w[1]].contains(&w[0]), "{ctx}");
        }
        assert_eq!(
            m.critical_path.len(),
            m.levels.len(),
            "critical path is as long as the levels; {ctx}"
        );

        // Layout: finite coordinates, nodes of one rank do not overlap, edges have points.
        let g = layout::layout(&m);
        for a in &g.nodes {
            assert!(
                a.x.is_finite() && a.y.is_finite() && a.w > 0.0 && a.h > 0.0,
                "{ctx}"
            );
            for b in &g.nodes {
                if a.id < b.id && a.rank == b.rank {
                    let apart = a.y + a.h <= b.y + 0.01 || b.y + b.h <= a.y + 0.01;
                    assert!(apart, "{} and {} overlap; {ctx}", a.id, b.id);
                }
            }
        }
        for e in &g.edges {
            assert!(e.points.len() >= 2, "{ctx}");
        }
        let svg = export::svg(&m);
        assert_eq!(svg.matches("data-stage=").count(), m.stages.len(), "{ctx}");
    }
}

#[test]
fn no_panic_on_random_input() {
    let mut rng = Rng(0xDEC0_DED0_1234_5678);
    let alphabet: Vec<&str> = vec![
        "FROM ",
        "AS ",
        "COPY ",
        "--from=",
        "RUN ",
        "--mount=",
        "type=bind,from=",
        "ARG ",
        "${",
        "}",
        "$",
        ":-",
        "\n",
        "\\\n",
        " ",
        "a",
        "0",
        "9",
        "-",
        "<",
        "\"",
        "'",
        "scratch",
        "ONBUILD ",
        "=",
        ",",
        "é",
        "\u{0}",
        "#",
        "<<EOF\n",
        "EOF\n",
        "[\"",
        "\"]",
        "--platform=",
        "99999999999999999999",
    ];
    for _ in 0..3000 {
        let mut text = String::new();
        for _ in 0..rng.below(60) {
            text.push_str(alphabet[rng.below(alphabet.len())]);
        }
        let doc = syntax::parse(&text);
        let target = if rng.chance(30) {
            Some("a".to_string())
        } else {
            None
        };
        let m = model::build(
            &doc,
            &ModelOptions {
                target,
                build_args: vec![("a".into(), "$b".into())],
                platform: None,
            },
        );
        let _ = model::outline(&doc, &m);
        let _ = export::svg(&m);
        let _ = export::dot(&m);
        let _ = export::mermaid(&m);
    }
}

#[test]
fn user_text_never_becomes_markup() {
    let text = "FROM alpine AS x\nFROM alpine\nCOPY --from=\"><script>alert(1)</script> /a /b\nCOPY --from=a&b<c /a /b\n";
    let doc = syntax::parse(text);
    let m = model::build(&doc, &ModelOptions::default());
    let svg = export::svg(&m);
    assert!(!svg.contains("<script"), "{svg}");
    assert!(svg.contains("&lt;script&gt;"), "{svg}");
    assert!(svg.contains("a&amp;b&lt;c"), "{svg}");
    let dot = export::dot(&m);
    assert!(!dot.contains("=\"\">"), "{dot}");
    let mermaid = export::mermaid(&m);
    assert!(!mermaid.contains("<script"), "{mermaid}");
}

#[test]
fn sixty_stage_layout_is_fast_enough_to_measure() {
    // A shape like moby's Dockerfile: a few bases, many parallel tool stages, fan-in at the end.
    let mut text = String::from("ARG GO=1.22\nFROM golang:${GO} AS base\n");
    for i in 1..59 {
        let from = if i % 7 == 0 {
            "base".to_string()
        } else {
            format!("s{}", (i * 5) % i.max(1))
        };
        let from = if from == "s0" {
            "base".to_string()
        } else {
            from
        };
        text.push_str(&format!("FROM {from} AS s{i}\nRUN make {i}\n"));
        if i > 3 {
            text.push_str(&format!("COPY --from=s{} /out /in{i}\n", i / 2));
        }
    }
    text.push_str("FROM scratch AS final\n");
    for i in (1..59).step_by(3) {
        text.push_str(&format!("COPY --from=s{i} /out /bin/{i}\n"));
    }
    let doc = syntax::parse(&text);
    let start = std::time::Instant::now();
    let m = model::build(&doc, &ModelOptions::default());
    let g = layout::layout(&m);
    let elapsed = start.elapsed();
    assert_eq!(m.stages.len(), 60);
    assert!(g.nodes.len() >= 60);
    println!("model + layout of 60 stages: {elapsed:?}");
}
