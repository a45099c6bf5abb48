//! Pure-computation cryptography: `aes_encrypt`/`aes_decrypt` (AES-128,
//! -192 or -256 by key length, modes ECB and CBC, PKCS#7 padding unless
//! `["padding" => false]`, CBC's `iv` option), `crypt` with the SHA-crypt
//! salts `$5$` and `$6$`, name-based `uuidv5` (RFC 9562), and in their own
//! modules RSA and Ed25519 keys and signatures. EC keys and CMS/PKCS#7 are
//! not implemented.

mod ed25519;
mod keys;
mod rsa;

use crate::args;
use crate::builtins::{options_arg, string_arg, R};
use crate::interp::error;
use crate::value::Value;
use aes::cipher::generic_array::GenericArray;
use aes::cipher::{BlockDecrypt, BlockEncrypt, KeyInit};
use hsl_syntax::Span;
use sha2::Digest;

/// The functions of this family.
pub(crate) const TABLE: crate::registry::Table = crate::registry::Table {
    names: &[
        "aes_encrypt",
        "aes_decrypt",
        "crypt",
        "uuidv5",
        "rsa_privatekey",
        "is_rsa_privatekey",
        "rsa_sign",
        "rsa_verify",
        "ed25519_privatekey",
        "is_ed25519_privatekey",
        "ed25519_sign",
        "ed25519_verify",
    ],
    call: family,
};

/// The family of cryptographic functions.
pub(crate) fn family(
    _: &mut crate::Interpreter,
    name: &str,
    a: &[Value],
    span: Span,
) -> Option<R<Value>> {
    if let Some(result) = rsa::call(name, a, span).or_else(|| ed25519::call(name, a, span)) {
        return Some(result);
    }
    Some(match name {
        "aes_encrypt" | "aes_decrypt" => aes_call(name, a, span),
        "crypt" => (|| -> R<Value> {
            let key = string_arg(name, &a[0], span)?;
            let salt = string_arg(name, &a[1], span)?;
            match sha_crypt(&key, &salt) {
                Some(hash) => Ok(Value::str(hash)),
                None => error(
                    span,
                    "crypt() supports SHA-crypt salts only (\"$5$...\" or \"$6$...\")",
                ),
            }
        })(),
        "uuidv5" => (|| -> R<Value> {
            let namespace = string_arg(name, &a[0], span)?;
            match uuid_bytes(&namespace) {
                Some(ns) => Ok(Value::str(uuidv5(&ns, &string_arg(name, &a[1], span)?))),
                None => error(
                    span,
                    format!(
                        "uuidv5() namespace is not a UUID: \"{}\"",
                        String::from_utf8_lossy(&namespace)
                    ),
                ),
            }
        })(),
        _ => return None,
    })
}

/// A block mode of operation.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Ecb,
    Cbc,
}

/// What to do with the message.
struct Job<'a> {
    encrypt: bool,
    mode: Mode,
    iv: [u8; 16],
    padding: bool,
    data: &'a [u8],
}

/// An unknown mode, a missing CBC `iv` or an `iv` that is not 16 bytes is a
/// catchable error; a key that is not 16, 24 or 32 bytes, a message that
/// is not whole blocks where it must be, or bad padding gives none.
fn aes_call(name: &str, a: &[Value], span: Span) -> R<Value> {
    let data = string_arg(name, &a[0], span)?;
    let key = string_arg(name, &a[1], span)?;
    let mode = match string_arg(name, &a[2], span)?
        .to_ascii_lowercase()
        .as_slice()
    {
        b"ecb" => Mode::Ecb,
        b"cbc" => Mode::Cbc,
        other => {
            return error(
                span,
                format!(
                    "{name}() mode must be \"ecb\" or \"cbc\", not \"{}\"",
                    String::from_utf8_lossy(other)
                ),
            )
        }
    };
    let options = options_arg(name, a.get(3), span)?;
    let iv = match (mode, args::option(&options, "iv")) {
        (Mode::Ecb, _) => [0; 16],
        (Mode::Cbc, None) => {
            return error(span, format!("{name}() in CBC mode needs the iv option"))
        }
        (Mode::Cbc, Some(iv)) => match <[u8; 16]>::try_from(iv.to_bytes().as_slice()) {
            Ok(iv) => iv,
            Err(_) => return error(span, format!("{name}() iv must be 16 bytes")),
        },
    };
    let padding = args::option(&options, "padding").is_none_or(Value::truthy);
    let job = Job {
        encrypt: name == "aes_encrypt",
        mode,
        iv,
        padding,
        data: &data,
    };
    let out = match key.len() {
        16 => aes::Aes128::new_from_slice(&key)
            .ok()
            .and_then(|c| run(&c, &job)),
        24 => aes::Aes192::new_from_slice(&key)
            .ok()
            .and_then(|c| run(&c, &job)),
        32 => aes::Aes256::new_from_slice(&key)
            .ok()
            .and_then(|c| run(&c, &job)),
        _ => None,
    };
    Ok(out.map_or(Value::None, Value::str))
}

fn run<C: BlockEncrypt + BlockDecrypt>(cipher: &C, job: &Job) -> Option<Vec<u8>> {
    let mut data = job.data.to_vec();
    if job.encrypt && job.padding {
        let pad = 16 - data.len() % 16;
        data.resize(data.len() + pad, pad as u8);
    }
    if data.len() & 15 != 0 {
        return None;
    }
    let mut chain = job.iv;
    for block in data.chunks_exact_mut(16) {
        let b = GenericArray::from_mut_slice(block);
        if job.encrypt {
            if job.mode == Mode::Cbc {
                b.iter_mut().zip(chain).for_each(|(x, c)| *x ^= c);
            }
            cipher.encrypt_block(b);
            chain.copy_from_slice(b);
        } else {
            let next: [u8; 16] = b.as_slice().try_into().ok()?;
            cipher.decrypt_block(b);
            if job.mode == Mode::Cbc {
                b.iter_mut().zip(chain).for_each(|(x, c)| *x ^= c);
            }
            chain = next;
        }
    }
    if !job.encrypt && job.padding {
        let pad = *data.last()? as usize;
        if pad == 0 || pad > 16 || !data[data.len() - pad..].iter().all(|&b| b as usize == pad) {
            return None;
        }
        data.truncate(data.len() - pad);
    }
    Some(data)
}

/// SHA-crypt as the C library's `crypt` does it: `$5$` (SHA-256) or `$6$`
/// (SHA-512), an optional `rounds=N$` (clamped to 1000…999999999) and up
/// to 16 salt bytes before the next `$`. `None` for other salts.
fn sha_crypt(key: &[u8], salt: &[u8]) -> Option<Vec<u8>> {
    use sha_crypt::{ROUNDS_DEFAULT, ROUNDS_MAX, ROUNDS_MIN};
    let sha512 = match salt.get(..3)? {
        b"$5$" => false,
        b"$6$" => true,
        _ => return None,
    };
    let mut rest = &salt[3..];
    let mut rounds = None;
    if let Some(after) = rest.strip_prefix(b"rounds=") {
        let end = after.iter().position(|&b| b == b'$')?;
        let n: usize = std::str::from_utf8(&after[..end]).ok()?.parse().ok()?;
        rounds = Some(n.clamp(ROUNDS_MIN, ROUNDS_MAX));
        rest = &after[end + 1..];
    }
    let salt = &rest[..rest
        .iter()
        .position(|&b| b == b'$')
        .unwrap_or(rest.len())
        .min(16)];
    let n = rounds.unwrap_or(ROUNDS_DEFAULT);
    let hash = if sha512 {
        sha_crypt::sha512_crypt_b64(key, salt, &sha_crypt::Sha512Params::new(n).ok()?)
    } else {
        sha_crypt::sha256_crypt_b64(key, salt, &sha_crypt::Sha256Params::new(n).ok()?)
    }
    .ok()?;
    let mut out = format!("${}$", if sha512 { 6 } else { 5 }).into_bytes();
    if let Some(n) = rounds {
        out.extend_from_slice(format!("rounds={n}$").as_bytes());
    }
    out.extend_from_slice(salt);
    out.push(b'$');
    out.extend_from_slice(hash.as_bytes());
    Some(out)
}

/// The 16 bytes of a UUID written as 32 hex digits, with or without the
/// hyphens of the 8-4-4-4-12 form.
fn uuid_bytes(text: &[u8]) -> Option<[u8; 16]> {
    let hex: Vec<u8> = if text.len() == 36 {
        if [8, 13, 18, 23].iter().any(|&i| text[i] != b'-') {
            return None;
        }
        text.iter().copied().filter(|&b| b != b'-').collect()
    } else {
        text.to_vec()
    };
    if hex.len() != 32 || !hex.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    let mut out = [0u8; 16];
    for (o, pair) in out.iter_mut().zip(hex.chunks(2)) {
        *o = u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok()?;
    }
    Some(out)
}

/// The version-5 UUID of `value` in `namespace`: SHA-1 of both, with the
/// version and variant bits set, in lowercase 8-4-4-4-12 form.
fn uuidv5(namespace: &[u8; 16], value: &[u8]) -> String {
    let hash = sha1::Sha1::new()
        .chain_update(namespace)
        .chain_update(value)
        .finalize();
    uuid_text(hash[..16].try_into().unwrap_or_default(), 5)
}

/// `bytes` as a UUID of `version` (RFC 9562 variant bits set), in lowercase
/// 8-4-4-4-12 form.
pub(crate) fn uuid_text(mut b: [u8; 16], version: u8) -> String {
    b[6] = (b[6] & 0x0f) | (version << 4);
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}
