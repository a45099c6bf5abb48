//! The Halon workspace as a library: its layout (`src/hooks/<hook>/<id>.hsl`,
//! `src/files/`), the first-line `// hsl:` directive, the configuration
//! files (`smtpd.yaml`, `smtpd-app.yaml`, `hsl.toml`), the one resolver of
//! `include`/`import` ids, native plugin declarations and the includers
//! graph.
//!
//! ```no_run
//! use hsl_workspace::{Config, Project, Target};
//! let hook = std::path::Path::new("src/hooks/rcptto/inbound.hsl");
//! let project = Project::discover(hook, &Config::find(hook).unwrap());
//! if let Target::File(lib) = project.resolve("file://lib.hsl", hook) {
//!     println!("{}", lib.display());
//! }
//! ```

pub mod ancestry;
pub mod config;
pub mod graph;
pub mod layout;
pub mod malformed;
pub mod paths;
pub mod plugins;
pub mod resolve;
pub mod smtpd;

pub use ancestry::Ancestry;
pub use config::{Config, Level};
pub use graph::{references, references_in, uses_in, Graph, Reference, Use, Uses};
pub use layout::{
    devcontainer_workspaces, directive, hook_from_path, normalize, workspace_root, Directive,
};
pub use malformed::Malformed;
pub use paths::{absolute, absolute_normalized, PathMap};
pub use plugins::Plugins;
pub use resolve::{Place, Project, Target};
