//! The façade: one call that runs the whole pipeline for the app and the CLI.
