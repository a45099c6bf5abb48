//! `--shard K/N`: a stable share of the files, so that N machines of a CI
//! matrix each take one part of a large suite.

use std::path::Path;

/// Part `index` (1-based) of `count`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    index: u64,
    count: u64,
}

impl std::str::FromStr for Shard {
    type Err = String;

    /// Parses `K/N` with 1 ≤ K ≤ N.
    fn from_str(s: &str) -> Result<Self, String> {
        let parsed = s
            .split_once('/')
            .and_then(|(k, n)| Some((k.trim().parse().ok()?, n.trim().parse().ok()?)));
        match parsed {
            Some((index, count)) if index >= 1 && index <= count => Ok(Shard { index, count }),
            _ => Err(format!(
                "`{s}` is not a shard: write K/N with 1 ≤ K ≤ N, e.g. 1/4"
            )),
        }
    }
}

impl Shard {
    /// Whether `path` belongs to this shard. The split hashes the path as
    /// written (FNV-1a, `/` as separator), so a file stays in its shard
    /// when other files are added or removed, and on every machine.
    pub fn contains(&self, path: &Path) -> bool {
        let text = path.to_string_lossy().replace('\\', "/");
        let text = text.strip_prefix("./").unwrap_or(&text);
        let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        });
        hash % self.count == self.index - 1
    }
}

#[cfg(test)]
mod tests {
    use super::Shard;
    use std::path::Path;

    #[test]
    fn every_path_is_in_exactly_one_shard() {
        let shards: Vec<Shard> = (1..=3).map(|k| format!("{k}/3").parse().unwrap()).collect();
        let mut sizes = [0; 3];
        for i in 0..300 {
            let path = format!("src/hooks/rcptto/file{i}.hsl");
            let owners: Vec<usize> = (0..3)
                .filter(|&k| shards[k].contains(Path::new(&path)))
                .collect();
            assert_eq!(owners.len(), 1, "{path}");
            sizes[owners[0]] += 1;
        }
        assert!(sizes.iter().all(|&n| n > 60), "uneven split {sizes:?}");
        assert!(shards[0].contains(Path::new("./a.hsl")) == shards[0].contains(Path::new("a.hsl")));
    }

    #[test]
    fn malformed_shards_are_refused() {
        for bad in ["0/3", "4/3", "1", "a/b", "1/0", ""] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
        assert!("3/3".parse::<Shard>().is_ok());
    }
}
