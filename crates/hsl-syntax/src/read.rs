//! Reading a user's file safely: only regular files, and only up to a size
//! limit, so a FIFO, a device such as `/dev/zero` or a huge file cannot hang
//! the tool or exhaust memory.

use std::fmt;
use std::io::Read;
use std::path::Path;

/// The default limit on the size of one source file (10 MiB).
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

/// Why a file could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// Nothing exists at the path.
    NotFound,
    /// The file or a folder on its path cannot be read.
    PermissionDenied,
    /// The path names something other than a regular file: `kind` says what.
    NotRegular {
        /// "a directory", "a FIFO", "a device", "a socket" or "a special file".
        kind: &'static str,
    },
    /// The file is larger than the limit.
    TooLarge {
        /// The limit in bytes.
        limit: u64,
    },
    /// Any other I/O error.
    Io(std::io::Error),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::NotFound => f.write_str("no such file or directory"),
            ReadError::PermissionDenied => f.write_str("permission denied"),
            ReadError::NotRegular { kind } => write!(f, "not a regular file ({kind})"),
            ReadError::TooLarge { limit } => {
                write!(f, "file is larger than the limit of {limit} bytes")
            }
            ReadError::Io(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for ReadError {}

impl From<std::io::Error> for ReadError {
    fn from(e: std::io::Error) -> Self {
        match e.kind() {
            std::io::ErrorKind::NotFound => ReadError::NotFound,
            std::io::ErrorKind::PermissionDenied => ReadError::PermissionDenied,
            _ => ReadError::Io(e),
        }
    }
}

/// What a non-regular file is, in words.
fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    let kind = meta.file_type();
    if kind.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    "a special file"
}

/// Reads the file at `path` (following symlinks) when it is a regular file
/// of at most `max_size` bytes. The type is looked at before opening, so a
/// FIFO is never opened; the size is enforced while reading, so a file that
/// grows or lies about its size is cut off too.
pub fn read_file(path: &Path, max_size: u64) -> Result<Vec<u8>, ReadError> {
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular {
            kind: kind_of(&meta),
        });
    }
    if meta.len() > max_size {
        return Err(ReadError::TooLarge { limit: max_size });
    }
    let file = std::fs::File::open(path)?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(max_size.saturating_add(1))
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max_size {
        return Err(ReadError::TooLarge { limit: max_size });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_files_within_the_limit_are_read() {
        let dir = std::env::temp_dir().join(format!("hsl-read-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("a.hsl");
        std::fs::write(&file, "echo 1;").unwrap();
        assert_eq!(read_file(&file, 100).unwrap(), b"echo 1;");
        assert!(matches!(
            read_file(&file, 3),
            Err(ReadError::TooLarge { limit: 3 })
        ));
        assert!(matches!(
            read_file(&dir, 100),
            Err(ReadError::NotRegular {
                kind: "a directory"
            })
        ));
        assert!(matches!(
            read_file(&dir.join("missing"), 100),
            Err(ReadError::NotFound)
        ));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn devices_are_refused_without_reading() {
        let err = read_file(Path::new("/dev/zero"), 100).unwrap_err();
        assert_eq!(err.to_string(), "not a regular file (a device)");
    }
}
