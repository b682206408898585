use super::super::context::Ctx;

declare_rule! {
    /// ## What it does
    /// Finds what the final image's `ENTRYPOINT`, `CMD`, `HEALTHCHECK` or `USER` needs and the
    /// image does not have, where the file shows it: a program that is not on the image's
    /// `PATH` (installed only in another stage, or into a folder off `PATH`, such as the `bin`
    /// of a `pip install --target` folder copied into site-packages), an interpreter the image
    /// has no copy of, a script or build output nothing puts in the final stage, a shell-form
    /// command in an image without a shell, a `USER` only another stage creates. This is the
    /// static runtime check every refactor passes before it is offered.
    ///
    /// ## Why is this bad?
    /// The image builds, and the container fails at start ("executable file not found",
    /// "no such file", "unable to find user"). Programs and files of unknown origin (an unknown
    /// base image, a `RUN` the estimate does not read, a package whose commands are not known)
    /// are not reported. Given the project's files (the app's project folder or pasted
    /// dependency files), the check reads them as the image estimate does: a
    /// `pip install -r requirements.txt` then brings the commands its list names.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim AS builder
    /// RUN pip install --no-cache-dir --target=/deps -r requirements.txt
    /// FROM python:3.12-slim
    /// COPY --from=builder /deps /usr/local/lib/python3.12/site-packages/
    /// CMD ["gunicorn", "app:app"]
    /// ```
    ///
    /// Use instead (the commands go where `PATH` looks, or run the module):
    /// ```dockerfile
    /// FROM python:3.12-slim AS builder
    /// RUN pip install --no-cache-dir --target=/deps -r requirements.txt
    /// FROM python:3.12-slim
    /// COPY --from=builder /deps /usr/local/lib/python3.12/site-packages/
    /// COPY --from=builder /deps/bin /usr/local/bin/
    /// CMD ["gunicorn", "app:app"]
    /// ```
    ///
    /// ## Fix safety
    /// No fix: where the program should come from is the author's choice.
    ///
    /// ## References
    /// - [pip install --target](https://pip.pypa.io/en/stable/cli/pip_install/#cmdoption-t)
    /// - [Multi-stage builds](https://docs.docker.com/build/building/multi-stage/)
    pub struct CommandNotInImage {
        code: "SP1010",
        name: "command-not-in-image",
        sources: [],
        severity: Warning,
        status: Stable,
        fix: None,
        stage_aware: true,
    }
}

pub fn check(ctx: &mut Ctx) {
    for m in ctx.runtime.missing() {
        let Some(ins) = ctx.doc.instructions.get(m.instruction) else {
            continue;
        };
        ctx.report(ins.span, m.message.clone());
    }
}
