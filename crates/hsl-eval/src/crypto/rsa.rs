//! RSA signatures (PKCS#1 v1.5): `rsa_privatekey`, `is_rsa_privatekey`,
//! `rsa_sign` and `rsa_verify`.
//!
//! Private keys are PEM, PKCS#1 (`RSA PRIVATE KEY`) or unencrypted PKCS#8
//! (`PRIVATE KEY`); public keys are PEM, SubjectPublicKeyInfo
//! (`PUBLIC KEY`) or PKCS#1 (`RSA PUBLIC KEY`). Signatures are raw bytes.
//! The one option, `hash`, names the digest that is signed: `md5`, `sha1`,
//! `sha224`, `sha256` (the default), `sha384` or `sha512`. Another option
//! or hash name is a catchable error; a key that does not parse, is larger
//! than 16384 bits, or is too small for the digest gives none.

use super::keys;
use crate::args;
use crate::builtins::{options_arg, string_arg, R};
use crate::interp::error;
use crate::value::{Key, Value};
use hsl_syntax::Span;
use rsa::pkcs1::{self, DecodeRsaPrivateKey};
use rsa::pkcs8::der::{self, oid::AssociatedOid, Decode};
use rsa::pkcs8::{DecodePrivateKey, SubjectPublicKeyInfoRef};
use rsa::traits::PublicKeyParts;
use rsa::{BigUint, Pkcs1v15Sign, RsaPrivateKey, RsaPublicKey};
use sha2::Digest;

/// The RSA functions; `None` for other names.
pub(super) fn call(name: &str, a: &[Value], span: Span) -> Option<R<Value>> {
    Some(match name {
        "rsa_privatekey" => (|| -> R<Value> {
            let pem = string_arg(name, &a[0], span)?;
            Ok(match private_key(&pem) {
                Some(_) => keys::new(keys::RSA, &pem),
                None => Value::None,
            })
        })(),
        "is_rsa_privatekey" => Ok(Value::Bool(keys::text(&a[0], keys::RSA).is_some())),
        "rsa_sign" => sign(name, a, span),
        "rsa_verify" => verify(name, a, span),
        _ => return None,
    })
}

/// `rsa_sign(message, key [, options])`: the signature, or none.
fn sign(name: &str, a: &[Value], span: Span) -> R<Value> {
    let message = string_arg(name, &a[0], span)?;
    let key = keys::arg(name, &a[1], keys::RSA, span)?;
    let (scheme, digest) = hash_option(name, a.get(2), span)?.prepare(&message);
    Ok(private_key(&key)
        .and_then(|key| key.sign(scheme, &digest).ok())
        .map_or(Value::None, Value::str))
}

/// `rsa_verify(message, signature, publickey [, options])`: whether the
/// signature is valid, or none when the public key does not parse.
fn verify(name: &str, a: &[Value], span: Span) -> R<Value> {
    let message = string_arg(name, &a[0], span)?;
    let signature = string_arg(name, &a[1], span)?;
    let key = string_arg(name, &a[2], span)?;
    let (scheme, digest) = hash_option(name, a.get(3), span)?.prepare(&message);
    Ok(match public_key(&key) {
        Some(key) => Value::Bool(key.verify(scheme, &digest, &signature).is_ok()),
        None => Value::None,
    })
}

/// The largest modulus accepted, in bits. The `rsa` crate stops public
/// keys at 4096 bits by default; keys of up to 16384 bits are in use.
const MAX_BITS: usize = 16384;

/// A private key from PKCS#1 or PKCS#8 PEM.
fn private_key(pem: &[u8]) -> Option<RsaPrivateKey> {
    let pem = keys::pem(pem)?;
    RsaPrivateKey::from_pkcs1_pem(pem)
        .ok()
        .or_else(|| RsaPrivateKey::from_pkcs8_pem(pem).ok())
        .filter(|key| key.n().bits() <= MAX_BITS)
}

/// A public key from SubjectPublicKeyInfo or PKCS#1 PEM.
fn public_key(pem: &[u8]) -> Option<RsaPublicKey> {
    let (label, der) = der::pem::decode_vec(keys::pem(pem)?.as_bytes()).ok()?;
    let key = match label {
        "PUBLIC KEY" => {
            let info = SubjectPublicKeyInfoRef::from_der(&der).ok()?;
            if info.algorithm.oid != pkcs1::ALGORITHM_OID {
                return None;
            }
            pkcs1::RsaPublicKey::from_der(info.subject_public_key.as_bytes()?).ok()?
        }
        "RSA PUBLIC KEY" => pkcs1::RsaPublicKey::from_der(&der).ok()?,
        _ => return None,
    };
    let number = |n: der::asn1::UintRef| BigUint::from_bytes_be(n.as_bytes());
    RsaPublicKey::new_with_max_size(number(key.modulus), number(key.public_exponent), MAX_BITS).ok()
}

/// A digest PKCS#1 v1.5 can sign.
#[derive(Clone, Copy)]
enum Hash {
    Md5,
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
}

/// The names of the `hash` option.
const HASHES: [(&str, Hash); 6] = [
    ("md5", Hash::Md5),
    ("sha1", Hash::Sha1),
    ("sha224", Hash::Sha224),
    ("sha256", Hash::Sha256),
    ("sha384", Hash::Sha384),
    ("sha512", Hash::Sha512),
];

impl Hash {
    /// The padding scheme and the digest of `message`.
    fn prepare(self, message: &[u8]) -> (Pkcs1v15Sign, Vec<u8>) {
        match self {
            Hash::Md5 => digest_info::<md5::Md5>(message),
            Hash::Sha1 => digest_info::<sha1::Sha1>(message),
            Hash::Sha224 => digest_info::<sha2::Sha224>(message),
            Hash::Sha256 => digest_info::<sha2::Sha256>(message),
            Hash::Sha384 => digest_info::<sha2::Sha384>(message),
            Hash::Sha512 => digest_info::<sha2::Sha512>(message),
        }
    }
}

fn digest_info<D: Digest + AssociatedOid>(message: &[u8]) -> (Pkcs1v15Sign, Vec<u8>) {
    (Pkcs1v15Sign::new::<D>(), D::digest(message).to_vec())
}

/// The digest chosen by the options array (SHA-256 without one).
fn hash_option(name: &str, options: Option<&Value>, span: Span) -> R<Hash> {
    let options = options_arg(name, options, span)?;
    let known = Key::Str("hash".as_bytes().into());
    if let Some(other) = options
        .iter()
        .flat_map(|o| o.map.keys())
        .find(|k| **k != known)
    {
        let other = crate::builtins::key_value(other).to_bytes();
        return error(
            span,
            format!(
                "{name}() has no option \"{}\" (it takes \"hash\")",
                String::from_utf8_lossy(&other)
            ),
        );
    }
    let Some(hash) = args::option(&options, "hash") else {
        return Ok(Hash::Sha256);
    };
    let hash = hash.to_bytes().to_ascii_lowercase();
    match HASHES.iter().find(|(n, _)| n.as_bytes() == hash.as_slice()) {
        Some(&(_, h)) => Ok(h),
        None => error(
            span,
            format!(
                "{name}() hash must be one of {}, not \"{}\"",
                HASHES.map(|(n, _)| n).join(", "),
                String::from_utf8_lossy(&hash)
            ),
        ),
    }
}
