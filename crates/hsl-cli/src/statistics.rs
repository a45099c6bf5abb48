//! `hsl check --statistics`: the number of diagnostics per code.

use crate::render::{FileReport, Format};
use serde::Serialize;
use std::collections::BTreeMap;

/// The count of one code.
#[derive(Serialize)]
struct Count<'a> {
    code: &'a str,
    name: Option<&'static str>,
    count: usize,
}

/// Prints one line per code found, most frequent first (JSON with
/// `--output-format json`, text otherwise).
pub fn print(reports: &[FileReport], format: Format) {
    let mut per_code: BTreeMap<&str, usize> = BTreeMap::new();
    for d in reports.iter().flat_map(|r| &r.diagnostics) {
        *per_code.entry(d.code).or_default() += 1;
    }
    let names = crate::rules::all();
    let mut counts: Vec<Count> = per_code
        .into_iter()
        .map(|(code, count)| Count {
            code,
            name: names.iter().find(|c| c.code == code).and_then(|c| c.name),
            count,
        })
        .collect();
    counts.sort_by(|a, b| b.count.cmp(&a.count).then(a.code.cmp(b.code)));
    if format == Format::Json {
        println!(
            "{}",
            serde_json::to_string_pretty(&counts).expect("counts serialize")
        );
        return;
    }
    let width = counts.first().map_or(1, |c| c.count.to_string().len());
    for c in &counts {
        println!(
            "{:>width$}  {}  {}",
            c.count,
            c.code,
            c.name.unwrap_or("(syntax)")
        );
    }
}
