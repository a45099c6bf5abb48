//! Loads one version's catalog and looks up a hook function, as a one-file
//! `hsl check` does: `cargo run --release -p hsl-catalog --example load [4|5|6]`
//! (measure with `valgrind --tool=callgrind` or `perf stat`).

use hsl_catalog::{Catalog, HalonVersion, Hook};

fn main() {
    let version: HalonVersion = std::env::args()
        .nth(1)
        .and_then(|v| v.parse().ok())
        .unwrap_or_default();
    let catalog = Catalog::get(version);
    let found = catalog.function("Reject", Some(Hook::Helo)).is_some();
    println!("Halon {version}: helo Reject {found}");
}
