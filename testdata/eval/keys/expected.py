"""Writes keys.hsl (the test keys of this directory as HSL variables, plus
signatures made by the openssl command) and the lines of ../crypto.out from
its "== keys" line on: the expected output of the key section of
crypto.hsl. Signatures come from openssl; raw Ed25519 key bytes from
python's cryptography package. Run from anywhere: python3 expected.py

The keys here were generated with openssl for these tests only."""
import base64, os, subprocess, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
MARKER = "== keys (expectations: keys/expected.py, from openssl)"


def path(name):
    return os.path.join(HERE, name)


def pem(name):
    with open(path(name)) as f:
        return f.read()


def openssl(*args, data):
    return subprocess.run(["openssl", *args], input=data, capture_output=True, check=True).stdout


def rsa_sign(key, message, digest="sha256"):
    return openssl("dgst", "-" + digest, "-sign", path(key), data=message)


def b64(data):
    return base64.b64encode(data).decode()


def raw_ed25519():
    from cryptography.hazmat.primitives import serialization as s
    key = s.load_pem_private_key(pem("ed25519.pem").encode(), None)
    raw = (s.Encoding.Raw, s.PublicFormat.Raw)
    return (key.private_bytes(s.Encoding.Raw, s.PrivateFormat.Raw, s.NoEncryption()),
            key.public_key().public_bytes(*raw))


MSG = b"The quick brown fox"


def ed25519_sign(key, message):
    with tempfile.NamedTemporaryFile() as f:  # openssl 3.0 reads -rawin input from a file only
        f.write(message)
        f.flush()
        return openssl("pkeyutl", "-sign", "-rawin", "-inkey", path(key), "-in", f.name, data=b"")


ed_sig = ed25519_sign("ed25519.pem", MSG)
ed_raw, ed_pub_raw = raw_ed25519()

variables = {
    name.replace(".pem", "").replace(".", "_"): pem(name)
    for name in sorted(os.listdir(HERE)) if name.endswith(".pem")
}
with open(path("keys.hsl"), "w") as f:
    f.write("// Test-only keys and openssl signatures; written by expected.py.\n")
    for name, text in variables.items():
        f.write(f'${name} = "{text.replace(chr(10), chr(92) + "n")}";\n')
    f.write(f'$ed25519_raw = base64_decode("{b64(ed_raw)}");\n')
    f.write(f'$ed25519_pub_raw = base64_decode("{b64(ed_pub_raw)}");\n')
    f.write(f'$openssl_sig_sha256 = "{b64(rsa_sign("rsa2048.pem", MSG))}";\n')
    f.write(f'$openssl_sig_rsa8192 = "{b64(rsa_sign("rsa8192.pem", MSG))}";\n')
    f.write(f'$openssl_sig_ed25519 = "{b64(ed_sig)}";\n')

T, F, CAUGHT = "true", "false", "caught"
out = [MARKER]
out += [b64(rsa_sign("rsa2048.pem", MSG))] * 2
out += [b64(rsa_sign("rsa2048.pem", MSG, d)) for d in ("sha1", "sha384", "sha512", "sha224", "md5")]
out += [b64(rsa_sign("rsa1024.pem", b"")), b64(rsa_sign("rsa1024.pem", "Grüße".encode()))]
out += [b64(rsa_sign("rsa512.pem", MSG))]
out += [T]                      # a 512-bit key cannot hold a SHA-512 DigestInfo
out += [T, T, T, F, F, F, F]    # is_rsa_privatekey, is_object
out += [T, T, F, F, F, T, T, F]  # openssl's signature, round trips, wrong key/hash/message
out += [F, F, F]                # tampered, truncated and empty signatures
out += [T] * 3                  # public keys that do not parse
out += [T] * 8                  # private keys that do not parse
out += [T, T]                   # signing with keys that do not parse
out += ['rsa_sign() hash must be one of md5, sha1, sha224, sha256, sha384, sha512, not "sha3"',
        'rsa_sign() has no option "padding" (it takes "hash")', CAUGHT, CAUGHT, CAUGHT,
        "rsa_sign() expects an RSAPrivateKey or a string, not number",
        "rsa_sign() expects an RSAPrivateKey or a string, not ED25519PrivateKey"]
out += [CAUGHT] * 6
out += [T, T, F, F, T, T]       # is_ed25519_privatekey, is_object
out += [b64(ed_sig), T, T]      # Ed25519 is deterministic: openssl's signature
out += [T, T, F, F]
out += [T] * 5                  # private keys that do not parse
out += [T, T, T]
out += ["ed25519_sign() expects an ED25519PrivateKey or a string, not RSAPrivateKey"]
out += [CAUGHT] * 3
out += [F, CAUGHT]              # a script's own class of the same name is no key
out += [T, T, T]                # 8192 bits: past the rsa crate's default limit

target = os.path.join(HERE, "..", "crypto.out")
with open(target) as f:
    lines = f.read().splitlines()
keep = lines[:lines.index(MARKER)] if MARKER in lines else lines
with open(target, "w") as f:
    f.write("\n".join(keep + out) + "\n")
