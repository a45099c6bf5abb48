//! Ed25519 signatures (RFC 8032): `ed25519_privatekey`,
//! `is_ed25519_privatekey`, `ed25519_sign` and `ed25519_verify`.
//!
//! A private key is a raw 32-byte secret, a raw 64-byte secret followed by
//! its public key, or unencrypted PKCS#8 PEM (`PRIVATE KEY`); a public key
//! is raw 32 bytes or SubjectPublicKeyInfo PEM (`PUBLIC KEY`). Keys that do
//! not parse give none.

use super::keys;
use crate::builtins::{string_arg, R};
use crate::value::Value;
use ed25519_dalek::pkcs8::{DecodePrivateKey, DecodePublicKey};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use hsl_syntax::Span;

/// The Ed25519 functions; `None` for other names.
pub(super) fn call(name: &str, a: &[Value], span: Span) -> Option<R<Value>> {
    Some(match name {
        "ed25519_privatekey" => (|| -> R<Value> {
            let key = string_arg(name, &a[0], span)?;
            Ok(match signing_key(&key) {
                Some(_) => keys::new(keys::ED25519, &key),
                None => Value::None,
            })
        })(),
        "is_ed25519_privatekey" => Ok(Value::Bool(keys::text(&a[0], keys::ED25519).is_some())),
        "ed25519_sign" => (|| -> R<Value> {
            let message = string_arg(name, &a[0], span)?;
            let key = keys::arg(name, &a[1], keys::ED25519, span)?;
            Ok(signing_key(&key).map_or(Value::None, |key| {
                Value::str(key.sign(&message).to_bytes().to_vec())
            }))
        })(),
        "ed25519_verify" => (|| -> R<Value> {
            let message = string_arg(name, &a[0], span)?;
            let signature = string_arg(name, &a[1], span)?;
            let key = string_arg(name, &a[2], span)?;
            Ok(verify(&message, &signature, &key).map_or(Value::None, Value::Bool))
        })(),
        _ => return None,
    })
}

/// A secret key from 32 raw bytes, from 64 raw bytes whose second half is
/// the matching public key, or from PKCS#8 PEM.
fn signing_key(key: &[u8]) -> Option<SigningKey> {
    match key.len() {
        32 | 64 => {
            let signer = SigningKey::from_bytes(key[..32].try_into().ok()?);
            (key.len() == 32 || signer.verifying_key().as_bytes() == &key[32..]).then_some(signer)
        }
        _ => SigningKey::from_pkcs8_pem(keys::pem(key)?).ok(),
    }
}

/// Whether `signature` (64 bytes) is valid for `message` under the public
/// key (32 raw bytes or PEM); `None` when either does not parse.
fn verify(message: &[u8], signature: &[u8], key: &[u8]) -> Option<bool> {
    let key = match <&[u8; 32]>::try_from(key) {
        Ok(raw) => VerifyingKey::from_bytes(raw).ok()?,
        Err(_) => VerifyingKey::from_public_key_pem(keys::pem(key)?).ok()?,
    };
    let signature = Signature::from_bytes(signature.try_into().ok()?);
    Some(key.verify(message, &signature).is_ok())
}
