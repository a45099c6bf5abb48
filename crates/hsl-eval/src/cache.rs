//! The `cache [options] f(args)` store: per namespace and function, entries
//! keyed by (a subset of) the arguments, expiring after `ttl` seconds on an
//! injectable clock, evicting the least recently used beyond `size`.

use crate::value::{Array, Value};
use std::collections::HashMap;

/// The options of one `cache` expression.
#[derive(Debug, Clone)]
pub struct CacheOptions {
    /// Seconds an entry lives (default 60).
    pub ttl: f64,
    /// Skip the lookup and refresh the entry.
    pub force: bool,
    /// Capacity of the bucket (default 32).
    pub size: usize,
    /// Separate bucket name.
    pub namespace: Vec<u8>,
    /// 1-based indices of the arguments that form the key (empty: all).
    pub argv_filter: Vec<usize>,
}

impl CacheOptions {
    /// Reads the options array (unknown keys are ignored).
    pub fn from_array(a: &Array) -> CacheOptions {
        let get = |k: &str| a.map.get(&Value::str(k).to_key());
        CacheOptions {
            ttl: get("ttl").map_or(60.0, Value::to_number),
            force: get("force").is_some_and(Value::truthy),
            size: get("size").map_or(32, |v| v.to_number().max(1.0) as usize),
            namespace: get("namespace").map(Value::to_bytes).unwrap_or_default(),
            argv_filter: match get("argv_filter") {
                Some(Value::Array(list)) => {
                    list.map.values().map(|v| v.to_number() as usize).collect()
                }
                _ => Vec::new(),
            },
        }
    }
}

/// A cache entry: value, expiry time and last use (for LRU).
struct Entry {
    value: Value,
    expires: f64,
    used: u64,
}

/// All cache buckets of one interpreter.
pub struct Cache {
    /// Seconds since the epoch; replaceable for tests and simulations.
    pub clock: Box<dyn Fn() -> f64>,
    entries: HashMap<(Vec<u8>, Vec<u8>), Entry>,
    tick: u64,
}

impl Default for Cache {
    fn default() -> Self {
        Cache {
            clock: Box::new(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0.0, |d| d.as_secs_f64())
            }),
            entries: HashMap::new(),
            tick: 0,
        }
    }
}

impl std::fmt::Debug for Cache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Cache({} entries)", self.entries.len())
    }
}

/// (bucket, key) of one call.
pub type CacheKey = (Vec<u8>, Vec<u8>);

impl Cache {
    /// The key of calling `function` with `args` under `options`.
    pub fn key(&self, options: &CacheOptions, function: &str, args: &[Value]) -> CacheKey {
        let mut bucket = options.namespace.clone();
        bucket.push(0);
        bucket.extend_from_slice(function.as_bytes());
        let chosen: Vec<Value> = if options.argv_filter.is_empty() {
            args.to_vec()
        } else {
            options
                .argv_filter
                .iter()
                .filter_map(|&i| args.get(i.wrapping_sub(1)).cloned())
                .collect()
        };
        let key =
            crate::json::to_json(&Value::Array(std::rc::Rc::new(Array::list(chosen)))).to_string();
        (bucket, key.into_bytes())
    }

    /// A fresh stored value.
    pub fn get(&mut self, key: &CacheKey) -> Option<Value> {
        let now = (self.clock)();
        self.tick += 1;
        let entry = self.entries.get_mut(key)?;
        if entry.expires <= now {
            self.entries.remove(key);
            return None;
        }
        entry.used = self.tick;
        Some(entry.value.clone())
    }

    /// Stores a value, evicting the least recently used entry of a full bucket.
    pub fn put(&mut self, key: CacheKey, options: &CacheOptions, value: Value) {
        self.tick += 1;
        let in_bucket: Vec<&CacheKey> = self.entries.keys().filter(|k| k.0 == key.0).collect();
        if in_bucket.len() >= options.size && !self.entries.contains_key(&key) {
            if let Some(oldest) = in_bucket
                .into_iter()
                .min_by_key(|k| self.entries[*k].used)
                .cloned()
            {
                self.entries.remove(&oldest);
            }
        }
        let expires = (self.clock)() + options.ttl;
        self.entries.insert(
            key,
            Entry {
                value,
                expires,
                used: self.tick,
            },
        );
    }
}
