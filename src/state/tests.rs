//! The reducer's tests: every transition is pure.

use super::*;

fn reduce(state: AppState, action: Action) -> AppState {
    (*Rc::new(state).reduce(action)).clone()
}

#[test]
fn replace_bumps_the_revision_but_typing_does_not() {
    let s = AppState::new("FROM a".into());
    let s = reduce(s, Action::Edited("FROM b".into()));
    assert_eq!((&*s.text, s.text_rev), ("FROM b", 0));
    let s = reduce(s, Action::Replace("FROM c".into()));
    assert_eq!((&*s.text, s.text_rev), ("FROM c", 1));
}

#[test]
fn outside_texts_say_how_they_enter_the_history_and_lose_carriage_returns() {
    let s = AppState::new("FROM a\r\n".into());
    assert_eq!(&*s.text, "FROM a\n");
    let s = reduce(s, Action::Replace("FROM b\r\n".into()));
    assert_eq!((&*s.text, s.text_origin), ("FROM b\n", Origin::Edit));
    let s = reduce(s, Action::Revert("FROM a\n".into()));
    assert_eq!(
        (&*s.text, s.text_rev, s.text_origin),
        ("FROM a\n", 2, Origin::Revert)
    );
    let s = reduce(
        s,
        Action::OpenFile {
            name: "Dockerfile".into(),
            text: "FROM c".into(),
        },
    );
    assert_eq!((s.text_rev, s.text_origin), (3, Origin::Open));
    // Typing is not from outside.
    let s = reduce(s, Action::Edited("FROM cd".into()));
    assert_eq!((s.text_rev, s.text_origin), (3, Origin::Open));
}

#[test]
fn history_requests_are_distinct() {
    let s = reduce(
        AppState::new(String::new()),
        Action::History(HistoryOp::Undo),
    );
    let first = s.history;
    let s = reduce(s, Action::History(HistoryOp::Undo));
    assert_ne!(first, s.history);
    assert_eq!(s.history.map(|h| h.op), Some(HistoryOp::Undo));
}

#[test]
fn read_only_refuses_every_change_of_the_text() {
    let mut s = AppState::new("FROM a".into());
    s.read_only = true;
    let s = reduce(s, Action::Replace("FROM evil".into()));
    let s = reduce(s, Action::Edited("FROM evil".into()));
    let s = reduce(s, Action::Revert("FROM evil".into()));
    let s = reduce(s, Action::History(HistoryOp::Undo));
    assert_eq!((&*s.text, s.text_rev, s.history), ("FROM a", 0, None));
    let s = reduce(s, Action::SelectPane(Pane::Image));
    assert_eq!(s.pane, Pane::Image);
}

#[test]
fn repeated_jumps_are_distinct() {
    let s = reduce(AppState::new(String::new()), Action::JumpTo(3));
    let first = s.jump;
    let s = reduce(s, Action::JumpTo(3));
    assert_ne!(first, s.jump);
    assert_eq!(s.cursor, 3);
}

#[test]
fn pasted_files_are_replaced_by_path_and_removed_when_empty() {
    let s = AppState::new("FROM a".into());
    assert_eq!(s.project_options(), None);
    let s = reduce(
        s,
        Action::SetPastedFile {
            path: "requirements.txt".into(),
            content: "flask\n".into(),
        },
    );
    let s = reduce(
        s,
        Action::SetPastedFile {
            path: "requirements.txt".into(),
            content: "fastapi\n".into(),
        },
    );
    assert_eq!(s.pasted.len(), 1);
    let opts = s.project_options().unwrap();
    assert_eq!(opts.context_files[0].content, "fastapi\n");
    let s = reduce(
        s,
        Action::SetPastedFile {
            path: "requirements.txt".into(),
            content: " ".into(),
        },
    );
    assert!(s.pasted.is_empty());
    let folder = Project {
        name: "app".into(),
        files: 1,
        options: std::sync::Arc::new(stageplay::estimate::context::project_options(&[])),
    };
    let s = reduce(s, Action::SetProject(Some(folder.clone())));
    assert_eq!(s.project, Some(folder));
    let s = reduce(s, Action::SetProject(None));
    assert_eq!(s.project, None);
}

#[test]
fn set_context_stores_size_and_dockerignore_and_clears_blank_ones() {
    let s = reduce(
        AppState::new("FROM a".into()),
        Action::SetContext {
            bytes: Some(5_000_000),
            dockerignore: Some(".git\n".into()),
        },
    );
    assert_eq!(s.context_bytes, Some(5_000_000));
    assert_eq!(s.dockerignore.as_deref(), Some(".git\n"));
    assert_eq!(&*s.text, "FROM a");
    let s = reduce(
        s,
        Action::SetContext {
            bytes: None,
            dockerignore: Some("  \n".into()),
        },
    );
    assert_eq!((s.context_bytes, s.dockerignore), (None, None));
}

/// A state whose other snippets' stored texts are "stored N" (snippet N).
fn with_snippets() -> AppState {
    let mut s = AppState::new("draft text".into());
    s.stored = StoredTexts(|id| Some(format!("stored {id}")));
    s
}

#[test]
fn snippets_open_switch_rename_duplicate_and_delete_in_the_reducer() {
    let s = reduce(with_snippets(), Action::NewSnippet);
    assert_eq!((s.library.active, &*s.text), (2, ""));
    assert_eq!(s.library.active_name(), "Untitled");
    assert_eq!(s.text_origin, Origin::Open);
    assert!(s
        .notice
        .as_ref()
        .unwrap()
        .text
        .starts_with("New empty snippet"));
    let s = reduce(s, Action::Edited("typed".into()));

    // Switching reads the other snippet's stored text.
    let s = reduce(s, Action::SwitchSnippet(1));
    assert_eq!((s.library.active, &*s.text), (1, "stored 1"));
    // A snippet that does not exist is not opened.
    let s = reduce(s, Action::SwitchSnippet(99));
    assert_eq!(s.library.active, 1);

    // Duplicating the open snippet copies the editor's text; another one, its stored text.
    let s = reduce(s, Action::Edited("edited 1".into()));
    let s = reduce(s, Action::DuplicateSnippet(1));
    assert_eq!(
        (s.library.active_name(), &*s.text),
        ("Draft copy", "edited 1")
    );
    let s = reduce(s, Action::DuplicateSnippet(2));
    assert_eq!(
        (s.library.active_name(), &*s.text),
        ("Untitled copy", "stored 2")
    );

    let copy = s.library.active;
    let s = reduce(s, Action::RenameSnippet(copy, "  ".into()));
    assert_eq!(
        s.library.active_name(),
        "Untitled copy",
        "a blank name is refused"
    );
    let s = reduce(s, Action::RenameSnippet(copy, "Draft".into()));
    assert_eq!(
        s.library.active_name(),
        "Draft (2)",
        "a taken name gets a suffix"
    );

    // Deleting the open snippet opens its neighbour with its stored text.
    let before = s.text_rev;
    let s = reduce(s, Action::DeleteSnippet(copy));
    assert!(s.library.snippets.iter().all(|x| x.id != copy));
    assert_ne!(s.library.active, copy);
    assert_eq!(*s.text, format!("stored {}", s.library.active));
    assert_eq!((s.text_rev, s.text_origin), (before + 1, Origin::Open));
    // Deleting another one leaves the text alone.
    let open = s.library.active;
    let other = s.library.snippets.iter().find(|x| x.id != open).unwrap().id;
    let s = reduce(s, Action::DeleteSnippet(other));
    assert_eq!((s.library.active, s.text_rev), (open, before + 1));
}

#[test]
fn the_last_snippet_is_never_deleted() {
    let s = with_snippets();
    let after = reduce(s.clone(), Action::DeleteSnippet(1));
    assert_eq!(after, s);
}

#[test]
fn a_share_link_or_file_opens_the_snippet_that_holds_its_text_or_a_new_one() {
    let shared = Shared {
        text: "FROM x\r\n".into(),
        settings: Settings {
            target: Some("build".into()),
            pane: Some("image".into()),
            ..Settings::default()
        },
    };
    let s = reduce(with_snippets(), Action::OpenShared(shared.clone()));
    assert_eq!((s.library.snippets.len(), &*s.text), (2, "FROM x\n"));
    assert_eq!(s.library.active_name(), "Shared link");
    assert_eq!((s.target.as_deref(), s.pane), (Some("build"), Pane::Image));
    assert!(s
        .notice
        .as_ref()
        .unwrap()
        .text
        .contains("as a new snippet, “Shared link”"));
    // Again: the open snippet holds that text (not yet saved: the editor's text counts).
    let s = reduce(s, Action::OpenShared(shared));
    assert_eq!(s.library.snippets.len(), 2);
    assert!(s
        .notice
        .as_ref()
        .unwrap()
        .text
        .contains("already holds the same text"));
    // A file whose text a stored snippet holds opens that snippet.
    let s = reduce(
        s,
        Action::OpenFile {
            name: "Dockerfile.go".into(),
            text: "stored 1".into(),
        },
    );
    assert_eq!((s.library.active, s.library.snippets.len()), (1, 2));
    let s = reduce(
        s,
        Action::OpenFile {
            name: "Dockerfile.go".into(),
            text: "FROM go".into(),
        },
    );
    assert_eq!(s.library.active_name(), "Dockerfile.go");
}

#[test]
fn examples_open_as_new_snippets_or_replace_the_text_as_an_edit() {
    let id = examples::DEFAULT_EXAMPLE;
    let mut s = with_snippets();
    s.target = Some("old".into());
    let s = reduce(s, Action::OpenExample { id, replace: true });
    assert_eq!((s.library.snippets.len(), s.text_origin), (1, Origin::Edit));
    assert_eq!(s.target, None);
    let s = reduce(s, Action::OpenExample { id, replace: false });
    assert_eq!((s.library.snippets.len(), s.text_origin), (2, Origin::Open));
    assert_eq!(&*s.text, examples::find(id).unwrap().text);
    let unknown = reduce(
        s.clone(),
        Action::OpenExample {
            id: "nope",
            replace: false,
        },
    );
    assert_eq!(unknown, s);
}

#[test]
fn embedded_pages_have_no_snippets() {
    let mut s = with_snippets();
    s.embedded = true;
    let s = reduce(s, Action::NewSnippet);
    let s = reduce(
        s,
        Action::OpenFile {
            name: "x".into(),
            text: "y".into(),
        },
    );
    assert_eq!((s.library.snippets.len(), &*s.text), (1, "draft text"));
}

#[test]
fn notices_are_dismissed_only_while_shown() {
    let s = reduce(AppState::new(String::new()), Action::Notify("one".into()));
    let first = s.notice.clone().unwrap();
    let s = reduce(s, Action::Notify("two".into()));
    let s = reduce(s, Action::DismissNotice(first.seq));
    assert_eq!(s.notice.as_ref().map(|n| n.text.as_str()), Some("two"));
    let seq = s.notice.as_ref().unwrap().seq;
    let s = reduce(s, Action::DismissNotice(seq));
    assert_eq!(s.notice, None);
}

#[test]
fn format_is_one_undoable_edit_or_a_notice() {
    let s = reduce(
        AppState::new("from alpine\nrun  echo hi\n".into()),
        Action::Format,
    );
    assert_eq!(&*s.text, "FROM alpine\nRUN echo hi\n");
    assert_eq!((s.text_rev, s.text_origin), (1, Origin::Edit));
    let again = reduce(s, Action::Format);
    assert_eq!(
        again.text_rev, 1,
        "formatted already: the text is left alone"
    );
    assert!(again.notice.is_some());
    let mut read_only = AppState::new("from a\n".into());
    read_only.read_only = true;
    assert_eq!(&*reduce(read_only, Action::Format).text, "from a\n");
}

#[test]
fn the_first_run_hint_goes_with_the_first_change_or_when_dismissed() {
    let mut s = AppState::new("FROM a\n".into());
    s.first_run = true;
    assert!(reduce(s.clone(), Action::SelectPane(Pane::Image)).first_run);
    assert!(!reduce(s.clone(), Action::Edited("FROM b\n".into())).first_run);
    assert!(!reduce(s.clone(), Action::NewSnippet).first_run);
    assert!(!reduce(s, Action::DismissHint).first_run);
}

#[test]
fn theme_toggle_cycles() {
    let mut t = Theme::System;
    for _ in 0..3 {
        t = t.next();
    }
    assert_eq!(t, Theme::System);
}

#[test]
fn a_narrow_screen_shows_the_analysis_for_a_pane_and_the_editor_for_a_jump() {
    let s = AppState::new("FROM a\nFROM b".into());
    assert_eq!(s.shown, Shown::Editor);
    let s = reduce(s, Action::SelectPane(Pane::Problems));
    assert_eq!((s.pane, s.shown), (Pane::Problems, Shown::Analysis));
    // A click on a stage, a problem or a layer jumps to the editor, which must be on screen.
    let s = reduce(s, Action::JumpTo(7));
    assert_eq!((s.shown, s.cursor), (Shown::Editor, 7));
    let s = reduce(s, Action::Show(Shown::Analysis));
    assert_eq!((s.shown, s.pane), (Shown::Analysis, Pane::Problems));
    let s = reduce(s, Action::Show(Shown::Editor));
    assert_eq!(s.shown, Shown::Editor);
}

#[test]
fn the_split_stays_within_bounds_and_none_is_the_default() {
    let s = AppState::new(String::new());
    assert_eq!(s.split, None);
    let s = reduce(s, Action::SetSplit(Some(37.26)));
    assert_eq!(s.split, Some(37.3));
    let s = reduce(s, Action::SetSplit(Some(3.0)));
    assert_eq!(s.split, Some(split::MIN));
    let s = reduce(s, Action::SetSplit(Some(250.0)));
    assert_eq!(s.split, Some(split::MAX));
    let s = reduce(s, Action::SetSplit(Some(f64::NAN)));
    assert_eq!(s.split, Some(split::DEFAULT));
    let s = reduce(s, Action::SetSplit(None));
    assert_eq!(s.split, None);
}
