#!/usr/bin/env bash
# `hsl serve` with real clients on a free loopback port: swaks (plain, STARTTLS,
# AUTH PLAIN and LOGIN, a refused password) and Python's smtplib (STARTTLS,
# AUTH, two recipients); then the recordings replay with `hsl simulate` to the
# same replies. Usage: testdata/serve/real-clients.sh path/to/hsl
set -euo pipefail
hsl=$(realpath "$1")
cd "$(dirname "$0")"
work=$(mktemp -d)
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "real-clients: $*" >&2
  for f in "$work"/*.txt "$work"/err; do [ -f "$f" ] && { echo "== $f" >&2; cat "$f" >&2; }; done
  exit 1
}

"$hsl" serve workspace --listen 127.0.0.1:0 --record "$work/recorded" --record-secrets \
  --output-format json >"$work/connections.jsonl" 2>"$work/err" &
pid=$!
for _ in $(seq 100); do
  grep -q "listening on" "$work/err" && break
  sleep 0.1
done
port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$work/err")
[ -n "$port" ] || fail "hsl serve did not start"

common=(--server 127.0.0.1 --port "$port" --helo client.example --from a@sender.example --to bob@example.com --timeout 10)
timeout 30 swaks "${common[@]}" --header "Subject: plain" >"$work/plain.txt" || fail "swaks (plain)"
grep -q '^<-  250 Ok: queued as ' "$work/plain.txt" || fail "plain: not queued"

timeout 30 swaks "${common[@]}" --tls --auth PLAIN --auth-user alice --auth-password secret \
  --header "Subject: tls" >"$work/tls.txt" || fail "swaks (STARTTLS, AUTH PLAIN)"
grep -q '^<-  220 2.0.0 Ready to start TLS' "$work/tls.txt" || fail "tls: no STARTTLS"
grep -q '^<~  235 Authentication successful' "$work/tls.txt" || fail "tls: AUTH refused"
grep -q '^<~  250 Ok: queued as ' "$work/tls.txt" || fail "tls: not queued"

if timeout 30 swaks "${common[@]}" --auth LOGIN --auth-user alice --auth-password wrong \
  >"$work/refused.txt" 2>&1; then
  fail "a wrong password was accepted"
fi
grep -q '^<\*\* 535 Authentication failed' "$work/refused.txt" || fail "refused: no 535"

timeout 30 python3 - "$port" >"$work/smtplib.txt" <<'PY' || fail "smtplib"
import smtplib, ssl, sys
context = ssl.create_default_context()
context.check_hostname = False
context.verify_mode = ssl.CERT_NONE
with smtplib.SMTP("127.0.0.1", int(sys.argv[1]), "client.example", timeout=10) as s:
    s.starttls(context=context)
    assert s.login("alice", "secret")[0] == 235
    refused = s.sendmail("a@sender.example", ["bob@example.com", "nobody@example.com"],
                         "Subject: smtplib\r\n\r\n.a line with a leading dot\r\n")
    assert refused == {"nobody@example.com": (554, b"5.1.1 No such user")}, refused
print("smtplib: ok")
PY

kill -INT "$pid"
wait "$pid" || fail "hsl serve did not stop cleanly on Ctrl-C"
pid=
[ "$(wc -l <"$work/connections.jsonl")" -eq 4 ] || fail "expected 4 connections"
[ "$(ls "$work"/recorded/*.yaml | wc -l)" -eq 4 ] || fail "expected 4 recordings"
grep -q '^\.a line with a leading dot' "$work"/recorded/*-000?.1.eml || fail "message not unstuffed"

timeout 60 "$hsl" simulate "$work/recorded" >"$work/replay.txt" || fail "the recordings do not replay"
grep -qx '4 passed, 0 failed' "$work/replay.txt" || fail "replay summary"
echo "real clients (swaks, smtplib) against hsl serve: recorded and replayed 4 connections"
