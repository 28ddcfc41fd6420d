#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A translation is complete and in use: po/LANG.po passes msgfmt --check
with no untranslated and no fuzzy entry, its catalog is built, and the
real program speaks it under LANGUAGE=LANG (the built catalogs through
RESKILL_LOCALEDIR, as `meson devenv` does): the top-level help, every
command's --help and an error message. The pseudo-locale test proves
that every string goes through gettext; this one proves that the
language's own catalog reaches the person.

The desktop entry and the metainfo, merged at build time, carry the
language too.

Usage: translation-check.py RESKILL MSGFMT SOURCE_ROOT BUILD_PO_DIR LANG DESKTOP METAINFO   (TAP)
"""
import os
import re
import subprocess
import sys

# Lines the translation must print, checked literally so that a catalog
# whose entries merely copy the English would fail; more languages add a
# row here.
KNOWN = {
    "de": {
        "help": ["Aufruf:", "Befehle:", "Fragenpool und Rollen prüfen; Anzahlen ausgeben"],
        "error": "Unbekannter Befehl „frobnicate“",
    },
}


def unescape(s):
    out, i = [], 0
    while i < len(s):
        if s[i] == "\\" and i + 1 < len(s):
            out.append({"n": "\n", "t": "\t", '"': '"', "\\": "\\"}.get(s[i + 1], s[i + 1]))
            i += 2
        else:
            out.append(s[i])
            i += 1
    return "".join(out)


def read_po(path):
    """msgid -> msgstr (the first form of a plural), context ignored."""
    entries, key, cur = {}, None, {}
    for line in list(open(path, encoding="utf-8")) + [""]:
        line = line.strip()
        m = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) "(.*)"$', line)
        if m:
            key = m.group(1)
            cur[key] = unescape(m.group(2))
        elif line.startswith('"') and key is not None:
            cur[key] += unescape(line[1:-1])
        elif not line:
            if "msgid" in cur:
                entries.setdefault(cur["msgid"], cur.get("msgstr", cur.get("msgstr[0]", "")))
            cur, key = {}, None
    return entries


def main():
    reskill, msgfmt, source_root, po_dir, lang, desktop, metainfo = sys.argv[1:8]
    po_file = os.path.join(source_root, "po", lang + ".po")
    mo_file = os.path.join(po_dir, lang, "LC_MESSAGES", "reskill.mo")
    n = failed = 0

    def check(name, problems):
        nonlocal n, failed
        n += 1
        if problems:
            failed += 1
            print("not ok %d - %s" % (n, name))
            for p in problems:
                print("# " + p.replace("\n", "\n# "))
        else:
            print("ok %d - %s" % (n, name))

    linguas = [w for line in open(os.path.join(source_root, "po", "LINGUAS"), encoding="utf-8")
               for w in line.split("#")[0].split()]
    check("%s is listed in po/LINGUAS" % lang, [] if lang in linguas else ["po/LINGUAS: %s" % linguas])

    result = subprocess.run([msgfmt, "--check", "--statistics", "-o", os.devnull, po_file],
                            capture_output=True, text=True, env=dict(os.environ, LC_ALL="C"))
    stats = result.stderr.strip()
    problems = []
    if result.returncode != 0:
        problems.append("msgfmt --check failed:\n" + stats)
    if "untranslated" in stats or "fuzzy" in stats or "translated message" not in stats:
        problems.append("not complete: " + stats)
    check("po/%s.po passes msgfmt --check with no untranslated or fuzzy entry (%s)" % (lang, stats), problems)

    header = open(po_file, encoding="utf-8").read()
    check("po/%s.po has its language and plural rule in the header" % lang,
          [] if '"Language: %s\\n"' % lang in header and "Plural-Forms: nplurals=" in header
          else ["Language or Plural-Forms missing"])

    check("the %s catalog is built (%s)" % (lang, mo_file),
          [] if os.path.isfile(mo_file) and os.path.getsize(mo_file) > 1000 else ["missing or empty"])

    catalog = read_po(po_file)
    base = dict(os.environ, LC_ALL="C.UTF-8", RESKILL_LOCALEDIR=po_dir)
    for var in ("LANG", "LC_MESSAGES"):
        base.pop(var, None)
    english = dict(base, LANGUAGE="C")
    english.pop("RESKILL_LOCALEDIR")
    translated = dict(base, LANGUAGE=lang)

    def run(args, env):
        return subprocess.run([reskill] + args, env=env, capture_output=True, text=True, timeout=60)

    en_help = run(["--help"], english).stdout
    help_out = run(["--help"], translated)
    expected = [catalog.get(m) for m in ("Usage:", "Commands:", "Check the question bank and the roles; print counts")]
    expected += KNOWN.get(lang, {}).get("help", [])
    check("reskill --help under LANGUAGE=%s prints the translated lines" % lang,
          ["missing %r in:\n%s" % (e, help_out.stdout) for e in expected if not e or e not in help_out.stdout]
          + (["exit %d" % help_out.returncode] if help_out.returncode != 0 else []))
    check("reskill --help under LANGUAGE=%s has none of the English headings" % lang,
          ["still %r" % e for e in ("Usage:", "Commands:", "start the application") if e in help_out.stdout])

    commands = [line.split()[0] for line in en_help.split("Commands:")[1].splitlines()
                if line.startswith("  ") and line.split()]
    same = []
    for command in commands:
        en = run([command, "--help"], english).stdout
        tr = run([command, "--help"], translated).stdout
        summary = [line for line in en.splitlines() if line.strip()][1] if en.strip() else ""
        if not en or en == tr or summary in tr:
            same.append("reskill %s --help is not translated: %r" % (command, summary))
    check("every command's --help (%d) is translated under LANGUAGE=%s" % (len(commands), lang),
          same + ([] if len(commands) >= 10 else ["only %d commands found" % len(commands)]))

    bad = run(["frobnicate"], translated)
    want = KNOWN.get(lang, {}).get("error")
    wanted = [catalog.get("unknown command '%s'", "").replace("%s", "frobnicate")] + ([want] if want else [])
    check("an error message under LANGUAGE=%s is translated, with a non-zero exit" % lang,
          ["missing %r in %r" % (w, bad.stderr) for w in wanted if not w or w not in bad.stderr]
          + (["exit 0"] if bad.returncode == 0 else []))

    desktop_text = open(desktop, encoding="utf-8").read()
    check("the desktop entry has the %s name, comment and keywords" % lang,
          ["no %s[%s]=" % (k, lang) for k in ("GenericName", "Comment", "Keywords")
           if "\n%s[%s]=" % (k, lang) not in desktop_text])
    metainfo_text = open(metainfo, encoding="utf-8").read()
    check("the metainfo has the %s summary and description" % lang,
          [] if metainfo_text.count('xml:lang="%s"' % lang) >= 5 else
          ["%d elements with xml:lang=%s" % (metainfo_text.count('xml:lang="%s"' % lang), lang)])

    print("1..%d" % n)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
