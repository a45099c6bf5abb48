"""Writes testdata/eval/mime.out: the expected output of mime.hsl, from the
documented rules of the MIME builder (CRLF lines; 7-bit text as is, else
quoted-printable for text/* and base64 for others; RFC 2231 file names;
boundary "=_" + the first 24 hex digits of the MD5 of the parts' text)."""
import base64, email, email.policy, email.utils, hashlib, quopri, sys

out = []
def echo(v):
    if v is True: v = "true"
    elif v is False: v = "false"
    elif isinstance(v, list):
        v = "[" + ",".join('%d=>"%s"' % (i, x) for i, x in enumerate(v)) + "]"
    out.extend(str(v).split("\r\n"))

def b64(data):
    t = base64.b64encode(data).decode()
    return "".join(t[i:i + 76] + "\r\n" for i in range(0, len(t), 76))

def qp(text):
    return quopri.encodestring(text.encode()).decode().replace("\n", "\r\n")

echo("== a single part")
echo("MIME()"); echo(True); echo(True); echo(True)
echo("Subject: Hi\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nHello\r\nworld")
echo("== encodings")
echo('MIME-Version: 1.0\r\nContent-Type: text/plain; charset="utf-8"\r\n'
     "Content-Transfer-Encoding: quoted-printable\r\n\r\n" + qp("Grüße = hi\n"))
echo("MIME-Version: 1.0\r\nContent-Type: application/octet-stream\r\n"
     "Content-Transfer-Encoding: base64\r\n\r\n" + b64(b"\x00\x01\xff"))
echo(True); echo(True)
echo("MIME-Version: 1.0\r\nContent-Type: image/png\r\n\r\nplain ascii")
echo("== headers, names, dispositions")
word = "=?UTF-8?B?" + base64.b64encode("Grüße".encode()).decode() + "?="
echo("Subject: " + word + "\r\nX-Raw: ü\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\n")
fname = "filename*=" + email.utils.encode_rfc2231("résumé.pdf", "utf-8")
a = ("Content-Type: application/pdf\r\n"
     "Content-Disposition: attachment; " + fname + "\r\n\r\n%PDF")
echo("MIME-Version: 1.0\r\n" + a)
echo(email.message_from_string("MIME-Version: 1.0\r\n" + a).get_filename())
echo('MIME-Version: 1.0\r\nContent-Type: text/plain\r\nContent-Disposition: inline; filename="a\\"b.txt"\r\n\r\nx')
echo("MIME-Version: 1.0\r\nContent-Type: text/plain\r\nContent-Disposition: inline\r\n\r\nx")
echo("== multipart")
def multi(kind, parts, boundary=None, preamble=""):
    b = boundary or "=_" + hashlib.md5("".join(parts).encode()).hexdigest()[:24]
    body = (preamble + "\r\n" if preamble else "")
    body += "".join("--" + b + "\r\n" + p + "\r\n" for p in parts) + "--" + b + "--\r\n"
    return 'Content-Type: %s; boundary="%s"\r\n\r\n' % (kind, b) + body
plain = "Content-Type: text/plain\r\n\r\nplain"
html = "Content-Type: text/html\r\n\r\n<b>html</b>"
alt = multi("multipart/alternative", [plain, html])
echo(True)
echo("MIME-Version: 1.0\r\n" + alt)
echo("MIME-Version: 1.0\r\n" + multi("multipart/mixed", ["Content-Type: text/plain\r\n\r\none"],
     "my-boundary", "preamble text"))
text = "Subject: nested\r\nMIME-Version: 1.0\r\n" + multi("multipart/mixed", [alt, a])
parsed = email.message_from_string(text)
echo([])
echo(parsed.get_content_type())
ids = ["1", "1.1", "1.2", "2"]
for pid, part in zip(ids, list(parsed.walk())[1:]):
    echo(pid + " " + part.get_content_type())
echo(parsed.get_payload()[0].get_payload()[1].get_payload())
att = parsed.get_payload()[1]
echo(att.get_filename() + " " + att.get_payload(decode=True).decode())
echo(True); echo(True); echo(True); echo(True); echo(True)
echo("== wrong arguments")
for line in [
    "a content type is written type/subtype",
    "`text/plain; charset=x` is not a valid content type",
    "a boundary has 1 to 70 letters, digits or '()+_,-./:=?",
    "a boundary has 1 to 70 letters, digits or '()+_,-./:=?",
    "MIME->appendPart() expects a MIME object as argument 1, not string",
    "MIME->setBody() expects a string as argument 1, not number",
    "a header value cannot contain line breaks",
    "MIME() takes 0 arguments, 1 given",
    "MIME->setDate() is not supported by the interpreter",
    "MIME->signDKIM() is not supported by the interpreter",
    "`MIME->queue` needs the world: give its result in a stub file "
    "(- { function: \"MIME->queue\", returns: ... }) or define a host function of that name",
    "`MIME` has no method `nothing`",
    "MIME parts nest at most 32 deep at 31"]:
    echo(line)
sys.stdout.write("\n".join(out) + "\n")
