//! `stageplay estimate`: not implemented yet (its issue fills it in).

pub fn run(_args: &[String]) -> i32 {
    eprintln!("stageplay estimate: not implemented yet");
    2
}
