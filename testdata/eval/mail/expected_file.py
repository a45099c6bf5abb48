"""Writes testdata/eval/file.out: the expected output of file.hsl, from
python's io.BytesIO (read, readline without its line end, seek/tell) and
python's codecs for Iconv."""
import base64, io, sys

out = []
def echo(v):
    if v is None: v = "none"
    elif v is True: v = "true"
    elif v is False: v = "false"
    elif isinstance(v, bytes): v = v.decode("utf-8")
    out.append(str(v))

def readline(f):
    line = f.readline()
    return line.rstrip(b"\n").rstrip(b"\r") if line else False

echo("== File::String")
f = io.BytesIO(b"line one\r\nline two\nlast")
echo("File()")
echo(f.tell()); echo(f.read(4)); echo(f.tell())
echo(readline(f)); echo(readline(f)); echo(readline(f)); echo(readline(f))
echo(f.read() == b""); echo(f.read(10) == b"")
echo(f.seek(5)); echo(f.read(3))
echo(f.seek(-4, io.SEEK_END)); echo(f.read())
echo(f.seek(-2, io.SEEK_CUR)); echo(f.read(100))
echo(None)          # a negative position is refused
echo(f.tell())
echo(f.seek(100)); echo(f.read() == b""); echo(readline(f))
echo(None); echo(None)
echo("File->read(): the file is closed")
echo(None)
echo(len(b"\x00\xff"))
echo("from the second line")
echo(True)
echo("== File errors")
for line in [
    "File::String() expects a string as argument 1, not number",
    "File->seek() expects a number as argument 1, not string",
    "seek() whence must be SEEK_SET, SEEK_CUR or SEEK_END",
    "read() needs a length of 0 or more",
    "File->read() expects a number as argument 1, not string",
    "File->readline() takes 0 arguments, 1 given",
    "`File::read` needs the world: give its result in a stub file "
    "(- { function: \"File::read\", returns: ... }) or define a host function of that name",
    "File::read() expects a string as argument 1, not array",
    "File() needs a file resource, which the interpreter has none of; use File::String(data)",
    "File->toFFIValue() is not supported by the interpreter",
    "`File` has no method `write`"]:
    echo(line)
echo("== Iconv")
echo("Iconv()")
echo(base64.b64encode("Grüße".encode("latin-1")).decode())
echo(0); echo(None); echo(84); echo("ok"); echo(0)
echo(b"Gr\xfc\xdfe".decode("latin-1"))
echo(base64.b64encode(b"abc").decode())
echo("hi".encode("utf-16le") == b"h\x00i\x00")
echo("é".encode("utf-16be") == b"\x00\xe9")
echo(b"\x00h\x00i".decode("utf-16be"))
echo(None)
echo(b"\x80".decode("cp1252"))
echo(base64.b64encode("日本".encode("shift_jis")).decode())
echo(b"\x93\xfa\x96\x7b".decode("shift_jis"))
echo(b"\xf0\xd2\xc9\xd7\xc5\xd4".decode("koi8-r"))
echo("Iconv->convert(): the converter is closed")
echo(0)             # errno tells about the last conversion ("ok")
echo("Iconv(): unknown charset `nope`")
echo("Iconv() takes 2 arguments, 1 given")
echo("Iconv->convert() expects a string as argument 1, not number")
echo("`Iconv` has no method `iconv`")
sys.stdout.write("\n".join(out) + "\n")
