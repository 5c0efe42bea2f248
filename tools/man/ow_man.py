#!/usr/bin/env python3
"""Makes a man page from a hand-written troff template and the binary's own --help, so the
options and commands listed are always the ones the binary has.

usage: ow_man.py BINARY TEMPLATE OUT.gz

A template without the --help placeholders needs no --help. The placeholders: @VERSION@ (from BINARY --version), @OPTIONS@ (the "  --flag ARG  text"
lines of --help as .TP entries), @SCREENS@ (the "screens:" line), @COMMANDS@ (onewindow-cli's
"  onewindow-cli GROUP COMMAND …" lines with their descriptions), @USAGE@ (the "usage:" block
as it is). OUT.gz is gzip -9n (no name, no
time stamp), as Debian wants man pages.
"""
import gzip
import re
import os
import subprocess
import sys

# The man pages are English: the binaries' --help in the C locale (onewindow-cli speaks zh_CN or
# zh_TW when the environment says so, client/cli/i18n.h).
ENV = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_MESSAGES", "LANG")} | {"LC_ALL": "C"}


def esc(text):
    """Escapes text for troff: backslashes, hyphens of flags, a leading dot or quote."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    if text.startswith((".", "'")):
        text = "\\&" + text
    return text


def options(help_text):
    out = []
    for line in help_text.splitlines():
        m = re.match(r"^  (--\S+(?: [A-Z][A-Za-z]*)*)\s{2,}(.*)$", line)
        if m:
            flag, *args = m.group(1).split(" ")
            head = "\\fB" + esc(flag) + "\\fR" + "".join(" \\fI" + esc(a) + "\\fR" for a in args)
            out.append(".TP\n" + head + "\n" + esc(m.group(2)))
    return "\n".join(out)


def screens(help_text):
    for line in help_text.splitlines():
        if line.startswith("screens:"):
            return esc(", ".join(line.split()[1:]))
    return ""


def usage(help_text):
    """The lines after "usage:" up to the next blank line, as they are (no filling)."""
    lines, inside = [], False
    for line in help_text.splitlines():
        if line.startswith("usage:"):
            inside = True
            continue
        if inside and not line.strip():
            break
        if inside:
            lines.append(esc(line.strip() if line.startswith("  onewindow") else "  " + line.strip()))
    return ".nf\n" + "\n".join(lines) + "\n.fi"


def commands(help_text):
    out = []
    lines = help_text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("  onewindow-cli "):
            desc = lines[i + 1].strip() if i + 1 < len(lines) and lines[i + 1].startswith("      ") else ""
            out.append(".TP\n\\fB" + esc(line.strip()) + "\\fR\n" + esc(desc))
    return "\n".join(out)


def main():
    binary, template, out_path = sys.argv[1:4]
    with open(template, encoding="utf-8") as f:
        page = f.read()
    version = subprocess.run([binary, "--version"], check=True, capture_output=True, text=True, env=ENV).stdout.split()[1]
    help_text = ""
    if any(p in page for p in ("@OPTIONS@", "@SCREENS@", "@COMMANDS@", "@USAGE@")):
        help_text = subprocess.run([binary, "--help"], check=True, capture_output=True, text=True, env=ENV).stdout
    page = (page.replace("@VERSION@", version).replace("@OPTIONS@", options(help_text))
            .replace("@SCREENS@", screens(help_text)).replace("@COMMANDS@", commands(help_text)).replace("@USAGE@", usage(help_text)))
    with open(out_path, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", compresslevel=9, fileobj=raw, mtime=0) as gz:
            gz.write(page.encode("utf-8"))


if __name__ == "__main__":
    main()
