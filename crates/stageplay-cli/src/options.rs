//! The build options every subcommand shares, with one meaning: `--target`, `--build-arg`,
//! `--platform`, as `docker build` reads them.

use stageplay::model::ModelOptions;

#[derive(clap::Args, Debug, Clone, Default)]
pub struct BuildOptions {
    /// Analyse for this target stage (default: the last stage), as `docker build --target`.
    #[arg(long, value_name = "STAGE")]
    pub target: Option<String>,
    /// A build argument, as `docker build --build-arg`: K=V sets K; K alone takes K's value
    /// from the environment (and is left unset when the environment has none). Repeatable.
    #[arg(long = "build-arg", value_name = "K[=V]")]
    pub build_args: Vec<String>,
    /// The platform the build runs for (default linux/amd64), as `docker build --platform`.
    #[arg(long, value_name = "OS/ARCH")]
    pub platform: Option<String>,
}

impl BuildOptions {
    /// The engine's model options, reading `--build-arg K` from the process environment.
    pub fn model_options(&self) -> ModelOptions {
        self.model_options_with(|name| std::env::var(name).ok())
    }

    /// [`BuildOptions::model_options`] with the environment given as a lookup function.
    pub fn model_options_with(&self, env: impl Fn(&str) -> Option<String>) -> ModelOptions {
        ModelOptions {
            target: self.target.clone(),
            build_args: self
                .build_args
                .iter()
                .filter_map(|kv| match kv.split_once('=') {
                    Some((k, v)) => Some((k.to_string(), v.to_string())),
                    None => env(kv).map(|v| (kv.clone(), v)),
                })
                .collect(),
            platform: self.platform.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::BuildOptions;

    #[test]
    fn build_args_read_as_docker_does() {
        let opts = BuildOptions {
            target: Some("app".into()),
            build_args: vec![
                "A=1".into(),
                "B=".into(),
                "FROM_ENV".into(),
                "UNSET".into(),
                "C=x=y".into(),
            ],
            platform: Some("linux/arm64".into()),
        };
        let model = opts.model_options_with(|k| (k == "FROM_ENV").then(|| "env".to_string()));
        let pairs: Vec<(&str, &str)> = model
            .build_args
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [("A", "1"), ("B", ""), ("FROM_ENV", "env"), ("C", "x=y")]
        );
        assert_eq!(model.target.as_deref(), Some("app"));
        assert_eq!(model.platform.as_deref(), Some("linux/arm64"));
    }
}
