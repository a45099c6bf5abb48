//! STARTTLS: the server certificate (generated at start, or read from PEM
//! files) and the parameters a handshake negotiated, as hooks see them.

use hsl_smtp::session::TlsInfo;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::ServerConfig;
use std::path::PathBuf;
use std::sync::Arc;
use tokio_rustls::TlsAcceptor;

/// Where the server certificate comes from.
#[derive(Clone, Debug)]
pub enum Certificate {
    /// A self-signed certificate for `localhost` made at start.
    Generate,
    /// PEM files: the certificate chain and its private key.
    Files {
        /// The certificate chain.
        cert: PathBuf,
        /// The private key.
        key: PathBuf,
    },
}

/// The acceptor for STARTTLS handshakes.
pub fn acceptor(certificate: &Certificate) -> Result<TlsAcceptor, String> {
    let (chain, key) = match certificate {
        Certificate::Generate => {
            let names = vec!["localhost".to_string(), "127.0.0.1".to_string()];
            let made = rcgen::generate_simple_self_signed(names)
                .map_err(|e| format!("generating a certificate: {e}"))?;
            let key = PrivatePkcs8KeyDer::from(made.signing_key.serialize_der());
            (vec![made.cert.der().clone()], PrivateKeyDer::from(key))
        }
        Certificate::Files { cert, key } => {
            let chain = CertificateDer::pem_file_iter(cert)
                .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
                .map_err(|e| format!("{}: {e}", cert.display()))?;
            if chain.is_empty() {
                return Err(format!("{}: no PEM certificate in it", cert.display()));
            }
            let key =
                PrivateKeyDer::from_pem_file(key).map_err(|e| format!("{}: {e}", key.display()))?;
            (chain, key)
        }
    };
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .and_then(|b| b.with_no_client_auth().with_single_cert(chain, key))
        .map_err(|e| format!("TLS configuration: {e}"))?;
    Ok(TlsAcceptor::from(Arc::new(config)))
}

/// What STARTTLS offers before any handshake (EHLO announces it with this).
pub fn offered() -> TlsInfo {
    TlsInfo {
        protocol: "TLSv1.3".into(),
        cipher: "TLS_AES_256_GCM_SHA384".into(),
        keysize: 256,
        sni: None,
    }
}

/// The parameters of an established connection, named as Halon names them
/// (`TLSv1.3`, `TLS_AES_256_GCM_SHA384`).
pub fn negotiated(conn: &rustls::ServerConnection) -> TlsInfo {
    let protocol = match conn.protocol_version() {
        Some(rustls::ProtocolVersion::TLSv1_2) => "TLSv1.2".to_string(),
        Some(rustls::ProtocolVersion::TLSv1_3) => "TLSv1.3".to_string(),
        Some(other) => format!("{other:?}"),
        None => String::new(),
    };
    let cipher = conn
        .negotiated_cipher_suite()
        .map(|s| {
            let name = s
                .suite()
                .as_str()
                .map_or_else(|| format!("{:?}", s.suite()), str::to_string);
            // rustls marks TLS 1.3 suites `TLS13_`; their IANA names start `TLS_`.
            match name.strip_prefix("TLS13_") {
                Some(rest) => format!("TLS_{rest}"),
                None => name,
            }
        })
        .unwrap_or_default();
    let keysize = if cipher.contains("AES_128") { 128 } else { 256 };
    TlsInfo {
        protocol,
        cipher,
        keysize,
        sni: conn.server_name().map(str::to_string),
    }
}
