//! `stageplay refactor`: not implemented yet (its issue fills it in).

pub fn run(_args: &[String]) -> i32 {
    eprintln!("stageplay refactor: not implemented yet");
    2
}
