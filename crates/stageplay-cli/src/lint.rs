//! `stageplay lint`: not implemented yet (its issue fills it in).

pub fn run(_args: &[String]) -> i32 {
    eprintln!("stageplay lint: not implemented yet");
    2
}
