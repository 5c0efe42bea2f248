#!/usr/bin/env python3
"""make_zh_tw.py ZH_CN_PO GLOSSARY OUT_PO — the Traditional Chinese catalogue from the Simplified one.

Every msgstr of zh_CN.po is converted character by character with OpenCC's s2tw configuration
(s2t, then Taiwan's standard character forms: 為, 群眾, 啟用) — never with the Taiwan phrase
tables (s2twp), which turn 窗口 (a service window) into 視窗 (a software window) and 代码 into
程式碼. Then the project glossary's overrides are applied in order (reviewed wording: see the
glossary's comments). Messages, comments, flags and order are zh_CN's; the header is zh_TW's.
The output is written whole (a temporary file renamed), so it is never half written.
Needs the `opencc` command (Debian package opencc)."""
import os
import subprocess
import sys
import tempfile

HEADER = r'''# Traditional Chinese translations for onewindow.
# GENERATED from zh_CN.po by tools/i18n/make_zh_tw.py (OpenCC s2tw and i18n/zh_TW.glossary):
# do not edit; change zh_CN.po or the glossary and run `cmake --build BUILD --target update-pot`.
#
msgid ""
msgstr ""
"Project-Id-Version: onewindow\n"
"Report-Msgid-Bugs-To: dev@onewindow.invalid\n"
"PO-Revision-Date: 2026-12-06 00:00+0000\n"
"Last-Translator: tools/i18n/make_zh_tw.py (OpenCC s2tw, reviewed glossary)\n"
"Language-Team: OneWindow\n"
"Language: zh_TW\n"
"MIME-Version: 1.0\n"
"Content-Type: text/plain; charset=UTF-8\n"
"Content-Transfer-Encoding: 8bit\n"
"Plural-Forms: nplurals=1; plural=0;\n"
'''


def read_glossary(path):
    rules = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) < 2 or not parts[0]:
                sys.exit(f"{path}:{n}: want FROM<TAB>TO[<TAB># why]")
            rules.append((parts[0], parts[1]))
    return rules


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    src, glossary, out = sys.argv[1:]
    lines = open(src, encoding="utf-8").read().split("\n")
    # Skip zh_CN's header entry (its comments, msgid "", msgstr "" and the continuation lines).
    i = 0
    while i < len(lines) and not lines[i].startswith('msgid ""'):
        i += 1
    i += 2
    while i < len(lines) and lines[i].startswith('"'):
        i += 1
    body = lines[i:]
    # The text of every msgstr line (and continuation line after one), converted in one run.
    targets, in_msgstr = [], False
    for k, line in enumerate(body):
        if line.startswith("msgstr"):
            in_msgstr = True
        elif not line.startswith('"'):
            in_msgstr = False
        if in_msgstr:
            targets.append(k)
    texts = [body[k] for k in targets]
    run = subprocess.run(["opencc", "-c", "s2tw.json"], input="\n".join(texts) + "\n", capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit("opencc failed: " + run.stderr)
    converted = run.stdout.split("\n")[: len(texts)]
    if len(converted) != len(texts):
        sys.exit("opencc returned a different number of lines")
    rules = read_glossary(glossary)
    for k, text in zip(targets, converted):
        # Only the quoted part: the keyword (msgstr, msgstr[0]) stays ASCII anyway.
        for a, b in rules:
            text = text.replace(a, b)
        body[k] = text
    result = HEADER + "\n" + "\n".join(body)
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(out)), prefix=".zh_TW.", suffix=".po")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(result)
    os.replace(tmp, out)


if __name__ == "__main__":
    main()
