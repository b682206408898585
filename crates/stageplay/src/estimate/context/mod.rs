//! The user's project as the estimate reads it: the build context's files after `.dockerignore`
//! (their sizes size `COPY`), and the dependency files whose contents size the install layers.

pub mod ignore;
