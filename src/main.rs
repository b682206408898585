//! The Stageplay web app: a thin Yew shell over the `stageplay` engine.

fn main() {
    stageplay_web::start();
}
