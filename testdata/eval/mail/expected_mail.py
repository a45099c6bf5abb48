"""Writes testdata/eval/mail.out: the expected output of mail.hsl, derived
with python3's email package and the documented choices of the mail
classes (part ids from "0", unfolded header values, RFC 2047 decoding on
request, the line break before a delimiter belongs to the delimiter)."""
import base64, email, email.policy, quopri, re, sys
from email.header import decode_header, make_header

RAW = (b"Received: from a\r\n\tby b; Mon, 1 Jan 2024 10:00:00 +0000\r\n"
       b"Subject: =?utf-8?q?caf=C3=A9?= =?utf-8?b?w6k=?=\r\n"
       b"From: Alice <alice@example.org>\r\n"
       b"To: bob@example.org,\r\n carol@example.org\r\n"
       b"X-Dup: one\r\nx-dup: two\r\n"
       b"MIME-Version: 1.0\r\n"
       b"Content-Type: multipart/mixed; boundary=\"outer\"\r\n\r\n"
       b"This is the preamble.\r\n"
       b"--outer\r\n"
       b"Content-Type: multipart/alternative; boundary=inner\r\n\r\n"
       b"--inner\r\n"
       b"Content-Type: text/plain; charset=iso-8859-1\r\n"
       b"Content-Transfer-Encoding: quoted-printable\r\n\r\n"
       b"Hall=E5 v=E4rlden=\r\n!\r\n"
       b"--inner\r\n"
       b"Content-Type: text/html; charset=utf-8\r\n\r\n"
       b"<p>Hej</p>\r\n"
       b"--inner--\r\n\r\n"
       b"--outer\r\n"
       b"Content-Type: application/pdf; name=\"report.pdf\"\r\n"
       b"Content-Disposition: attachment; filename*=utf-8''r%C3%A9sum%C3%A9.pdf\r\n"
       b"Content-Transfer-Encoding: base64\r\n\r\n"
       b"JVBERi0xLjQK\r\n"
       b"--outer\r\n"
       b"Content-Type: Image/PNG\r\n"
       b"Content-Disposition: attachment; filename=\"=?utf-8?b?5pel5pys?=.png\"\r\n"
       b"Content-Transfer-Encoding: base64\r\n\r\n"
       b"iVBO!!Rw0K\r\n"
       b"--outer--\r\n"
       b"The epilogue.\r\n")

out = []
def echo(v):
    if v is None: v = "none"
    elif v is True: v = "true"
    elif v is False: v = "false"
    elif isinstance(v, list):
        v = "[" + ",".join('%d=>"%s"' % (i, x) for i, x in enumerate(v)) + "]"
    elif isinstance(v, bytes): v = v.decode("utf-8")
    out.append(str(v))

msg = email.message_from_bytes(RAW, policy=email.policy.compat32)
unfold = lambda v: re.sub(r"\r?\n", "", v).strip()
def parts_of(body, boundary):
    """Content between delimiters: the CRLF before '--b' is the delimiter's."""
    d = b"\r\n--" + boundary
    first = body.index(b"--" + boundary)
    rest = body[first:]
    chunks = (b"\r\n" + rest).split(d)[1:]
    return [c[c.index(b"\n") + 1:] for c in chunks if not c.startswith(b"--")]
body = RAW[RAW.index(b"\r\n\r\n") + 4:]
top = parts_of(body, b"outer")

echo("== reading")
echo(True)
echo("0")
echo(len(RAW))
echo(msg.get_content_type())
echo(msg.get_param("boundary"))
echo(msg.get_param("charset"))
echo(unfold(msg["subject"]))
echo(str(make_header(decode_header(msg["subject"]))))
echo(unfold(msg["to"]))
echo(unfold(msg["received"]))
echo(msg.get_all("x-dup")[0]); echo(msg.get_all("x-dup")[1]); echo(None); echo(None)
echo(msg.get_all("x-dup")); echo([])
echo(list(msg.keys()))
echo(None)       # getFileName of the top
echo(None)       # getBody of a multipart
echo(msg.preamble.strip())
echo(msg.epilogue.strip())
kids = msg.get_payload()
echo(len(kids))
for i, (k, raw) in enumerate(zip(kids, top)):
    echo("%d %s %d" % (i + 1, k.get_content_type(), len(raw)))
subs = [("1.%d" % (i + 1), p) for i, p in enumerate(kids[0].get_payload())]
for pid, p in subs:
    if p.get_content_type().startswith("text/"):
        echo(pid + " " + p.get_content_type())
echo(1); echo(0)

echo("== bodies")
plain = kids[0].get_payload()[0]
echo("1.1")
echo(plain.get_param("charset"))
echo(len(plain.get_payload(decode=True)))
echo(plain.get_payload(decode=True).decode("iso-8859-1"))
echo(len(parts_of(top[0][top[0].index(b"\r\n\r\n") + 4:], b"inner")[0].split(b"\r\n\r\n", 1)[1]))
echo(kids[0].get_payload()[1].get_payload(decode=True).decode("utf-8").strip())
echo(None)
echo(kids[0].preamble in (None, "")); echo(kids[0].epilogue in (None, ""))
echo(None)
pdf = kids[1]
echo(pdf.get_filename())
echo(pdf.get_payload(decode=True).decode().strip())
echo(pdf.get_param("name"))
png = kids[2]
echo(str(make_header(decode_header(png.get_filename()))).replace(" ", ""))
echo(png.get_content_type())
echo(base64.b64encode(base64.b64decode(b"iVBORw0K")).decode())
echo(["invalid base64 in the body"])
echo(["part 3: invalid base64 in the body"])
echo(None); echo(None); echo("0")
echo("text/html"); echo(2); echo(0)
echo("2"); echo("3"); echo(0)

echo("== header edits")
echo(1); echo("Hello"); echo(2); echo(["three", "three"])
echo(1); echo(["three", "four"]); echo(0); echo(0)
word = "=?UTF-8?B?" + base64.b64encode("grüße".encode()).decode() + "?="
echo(word); echo(str(make_header(decode_header(word))))
echo(None); echo(None); echo("ü")
echo(1); echo(["four"]); echo(1); echo(0); echo(1); echo(None); echo(1)
echo(True)
words = ("word " * 30).split()
echo("X-Long: " + " ".join(words[:14]))
echo(" " + " ".join(words[14:29]))
echo(" " + words[29])
echo("X-Raw: ü"); echo("X-Renamed: 1"); echo("X-New: " + word)
echo("Received: from a"); echo("\tby b; Mon, 1 Jan 2024 10:00:00 +0000")
echo("Subject: Hello"); echo("From: Alice <alice@example.org>")
echo("To: bob@example.org,"); echo(" carol@example.org")
echo("MIME-Version: 1.0"); echo('Content-Type: multipart/mixed; boundary="outer"')
echo(True)

echo("== part edits")
echo(1); echo(True); echo("<p>Hi</p>"); echo("text/html")
echo("hello"); echo(base64.b64encode(b"hello").decode())
echo(quopri.encodestring("Grüß = ok".encode()).decode())
echo("Grüß = ok"); echo("raw="); echo(None)
echo(True); echo("New preamble."); echo(True); echo(None); echo(None)
echo(2)
echo("this MIME part is no longer in its message")
echo("the top part of a message cannot be removed")
echo(True); echo("text/plain note")
for i, t in enumerate(["text/x-first", "multipart/alternative", "application/pdf", "text/plain"]):
    echo("%d %s" % (i + 1, t))
echo("3"); echo("3 text/csv a,b"); echo("text/csv")
body_after = ("New preamble.\r\n"
    "--outer\r\nContent-Type: text/x-first\r\n\r\nfirst\r\n"
    "--outer\r\nContent-Type: multipart/alternative; boundary=inner\r\n\r\n"
    "--inner\r\nContent-Type: text/plain; charset=iso-8859-1\r\n"
    "Content-Transfer-Encoding: quoted-printable\r\n\r\nraw=\r\n"
    "--inner\r\nContent-Type: text/html; charset=us-ascii\r\n\r\n<p>Hi</p>\r\n"
    "--inner--\r\n\r\n"
    "--outer\r\nContent-Type: text/csv\r\n\r\na,b\r\n"
    "--outer\r\nContent-Type: text/plain\r\n\r\nnote\r\n"
    "--outer--\r\n")
for line in body_after.split("\r\n"):
    echo(line)


echo("== single part to multipart")
echo([]); echo(None); echo("multipart/alternative"); echo("x"); echo(None); echo("1.0")
echo("1 text/plain " + base64.b64decode(b"aGk=").decode())
echo("2 text/html <b>hi</b>")
echo(["Content-Type", "Content-Transfer-Encoding"])
echo([])
echo("MailMessage->appendPart() expects a MIME object as argument 1, not string")
echo("the type option must be a multipart type, not `text/plain`")

echo("== snapshots")
echo(1); echo(2); echo(True); echo("one"); echo(True); echo("two")
echo(False); echo(False); echo(0); echo(True); echo(True)
echo(["X-First", "Subject"]); echo("BODY")
n = len(b"X-First: 1\r\nSubject: one\r\n\r\nBODY\r\n")
echo("MailMessage->modifyContent(): bytes 5 to 1005 are not within the message (%d bytes)" % n)
echo("MailMessage->modifyContent(): bytes -1 to -1 are not within the message (%d bytes)" % n)
echo(True)

echo("== line feeds only")
lf = email.message_from_string("From: a@example.org\nSubject: folded\n over two lines\n"
    "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\none\n"
    "--b\nContent-Type: text/plain\n\ntwo\n--b--\n")
echo(unfold(lf["subject"]))
for i, p in enumerate(lf.get_payload()):
    echo("%d %s" % (i + 1, p.get_payload()))
echo(True)
echo(["X-Added"] + list(lf.keys()))

echo("== malformed")
echo(["multipart part without a boundary"]); echo("no boundary")
echo(["multipart has no closing boundary"]); echo("unterminated")
echo(["multipart boundary not found in the body"])
echo(["the header ends at a line that is not a header field, without an empty line"])
echo(["Subject"]); echo("this is not a header"); echo("body")
echo([]); echo(None); echo(True)
echo(1); echo(10)
echo(quopri.decodestring(b"=ZZ=4\r\nok=3D").decode().replace("\r\n", "\n"))

echo("== wrong arguments")
for line in [
    "MailMessage->getHeader() expects a string as argument 1, not array",
    "MailMessage->getHeader() expects an options array as argument 2, not string",
    "the index option must be a whole number from 0, not first",
    "MailMessage->getHeader() takes 1 to 2 arguments, 0 given",
    "`Bad Name` is not a valid header name",
    "a header value cannot contain line breaks",
    "the index option must be a whole number from 0, not -1",
    "MailMessage->restore() expects a number as argument 1, not string",
    "MailMessage->findByType() expects a string or regex as argument 1, not number",
    "MailMessage::String() expects a string as argument 1, not number",
    "MailMessage::File() expects a File object as argument 1, not string",
    "MailMessage->getType() takes 0 arguments, 1 given",
    "`MailMessage` has no method `noSuchMethod`",
    "MailMessage->signDKIM() is not supported by the interpreter",
    "MailMessage->verifyDKIM() is not supported by the interpreter"]:
    echo(line)

echo("== the world")
echo("EODMailMessage()")
q = "`%s` needs the world: give its result in a stub file (- { function: \"%s\", returns: ... }) or define a host function of that name"
echo(q % ("EODMailMessage->queue", "EODMailMessage->queue"))
echo("EODMailMessage->queue() expects a string or array as argument 2, not number")
echo(q % ("MailMessage->send", "MailMessage->send"))
echo("`MIMEPart` has no method `queue`")
echo("from a file")

sys.stdout.write("\n".join(out) + "\n")
