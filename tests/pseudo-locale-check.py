#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""No text a person reads escapes translation: the command line, the core's
messages and the PDF report, run under the pseudo-locale.

The pseudo-locale catalog (tools/pseudo-locale, built into build/po) turns
every message into itself wrapped in ‹ and ›. Run under it, every word a
person reads must sit inside the marks, except what is not ours to
translate: names (people, teams, roles: data), numbers and dates, file
paths, ids (skills, item ids, UUIDs, fingerprints), option names, bank
content, GLib's own option-parser texts (GLib's catalogs translate those),
and the lines scripts read, which stay the same in every language by
design (README). Anything else is a string that never went through
gettext, and fails its check with the line it is on.

The CSV exports must carry no marks at all: they are the same bytes in
every language.

Usage: pseudo-locale-check.py RESKILL_TEST_BIN RESKILL_DEFAULT_BIN PSEUDO_MO SOURCE_ROOT   (TAP)
"""
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile

OPEN, CLOSE = "\u2039", "\u203a"

# GLib's option parser and GApplication: translated by GLib's own catalog
# (the glib20 domain), so never marked by ours.
GLIB_TEXTS = [
    "Usage:", "Help Options:", "Application Options:", "Show help options", "Show all help options",
    "Show GApplication options", "GApplication options", "Show help", "--help-all", "--help-gapplication",
    "Enter GApplication service mode (use from D-Bus service files)", "[OPTION…]", "OPTION…",
    "Unknown option", "Missing argument for", "Cannot parse integer value", "Cannot parse double value",
    "Error parsing option", "Integer value", "out of range", "Override the application’s ID",
    "Replace the running instance", "Print the application version",
    "Failed to open file", "No such file or directory", "Is a directory", "Permission denied",
]
# Ids and words that are data, not text: what the program is told and
# prints back as it is.
IDS = {
    "reskill", "reskill-test", "reskill-default-profile",
    "python", "statistics", "ml", "empathy", "all",
    "quick", "standard", "precise",
    "single", "multi", "numeric", "scenario",
    "provisional", "calibrated", "flagged", "use", "withhold",
    "2pl", "3pl", "gpcm", "poor-fit", "low-discrimination", "unstable",
    "too-hard", "too-easy", "overexposed", "too-few",
    "employee", "manager", "admin", "none", "posterior", "glr", "correct", "wrong", "random",
    "pdf", "csv", "show-key", "list", "trust", "revoke",
    "validate", "simulate", "take", "seed-demo", "import-people", "item-stats", "calibrate", "report",
    "export-results", "import-results", "kiosk", "setup-code", "unlock", "check",
    "study", "privacy", "retention", "export-person", "erase-person", "who-looked", "share-practice",
    "show", "set", "wording", "notice", "aggregates", "levels", "full", "inherit", "yes|no", "yes", "no",
    "new|returning", "new", "returning",
    "server", "sync", "init", "migrate", "add-bank", "enroll", "revoke", "add-login", "reset-pin",
    "rebuild-caches", "status", "CONNINFO", "PostgreSQL", "libpq", "GSettings",
    "employee_no", "name", "team", "role", "person", "item_id", "score", "theta", "id",
    "Reskill", "YAML", "SQLite", "UTF-8", "CSV", "PDF", "PIN", "UUID", "SHA-256", "IRT",
}
# Lines scripts read (README): "key value" and "key=value" lines, the same
# in every language.
MACHINE_LINES = [
    re.compile(r"^(answered|paused|finished) [0-9a-f-]{36}( \d+ \S+)?$"),
    re.compile(r"^simulees=\d+ "),
    re.compile(r"^loglik=\S+ items=\d+ people=\d+ iterations=\d+ seconds=\S+$"),
    re.compile(r"^(kiosk|fingerprint|sha256) \S+$"),
]
TOKEN = re.compile(r"[^\s;,]+")


class Checker:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def report(self, name, problems):
        self.n += 1
        if problems:
            self.failed += 1
            print("not ok %d - %s" % (self.n, name))
            for p in problems[:25]:
                print("# " + p)
            if len(problems) > 25:
                print("# ... and %d more" % (len(problems) - 25))
        else:
            print("ok %d - %s" % (self.n, name))
        sys.stdout.flush()


def strip_marked(text):
    """The text with every marked span (nested, across lines) blanked out,
    and a list of problems with the marks themselves."""
    out, depth, problems = [], 0, []
    for ch in text:
        if ch == OPEN:
            depth += 1
            out.append(" ")
        elif ch == CLOSE:
            if depth == 0:
                problems.append("a closing mark without an opening one")
            depth = max(depth - 1, 0)
            out.append(" ")
        elif depth > 0 and ch != "\n":
            out.append(" ")
        else:
            out.append(ch)
    if depth != 0:
        problems.append("%d marks left open" % depth)
    return "".join(out), problems


def unmarked_words(text, exempt_texts=(), exempt_words=frozenset(), machine_lines=()):
    """Lines with a word outside the marks that is not exempt."""
    bare, problems = strip_marked(text)
    original = text.split("\n")
    for number, line in enumerate(bare.split("\n")):
        source = original[number] if number < len(original) else line
        if any(p.search(source.strip()) for p in machine_lines):
            continue
        rest = line
        for exempt in sorted(exempt_texts, key=len, reverse=True):
            if exempt:
                rest = re.sub(r"(?<![\w-])" + re.escape(exempt) + r"(?![\w-])", " ", rest)
        for token in TOKEN.findall(rest):
            word = token.strip(".,;:!?()[]{}\"'“”‘’«»|*=<>")
            if not word:
                continue
            if word in exempt_words or word.lower() in exempt_words:
                continue
            if "/" in word or word.startswith("-"):
                continue                        # paths, options
            if re.fullmatch(r"[\w-]+(\.[\w-]+)+", word):
                continue                        # ids, file names, numbers
            if re.fullmatch(r"[0-9a-fA-F-]{8,}", word):
                continue                        # UUIDs, fingerprints, hashes
            if not re.search(r"[A-Za-z]{2,}", word):
                continue                        # numbers, symbols, single letters
            problems.append("line %d: %r in %r" % (number + 1, word, source.strip()))
            break
    return problems


def main():
    if len(sys.argv) != 5:
        print("usage: pseudo-locale-check.py RESKILL_TEST_BIN RESKILL_DEFAULT_BIN PSEUDO_MO SOURCE_ROOT",
              file=sys.stderr)
        return 2
    binary, default_binary, mo, root = sys.argv[1:]
    for tool in ("pdftotext",):
        if shutil.which(tool) is None:
            print("1..0 # SKIP %s is not installed (tools/install-deps installs it)" % tool)
            return 0
    tmp = tempfile.mkdtemp(prefix="reskill-pseudo-")
    try:
        return run_checks(binary, default_binary, mo, root, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run_checks(binary, default_binary, mo, root, tmp):
    locale_dir = os.path.join(tmp, "locale")
    os.makedirs(os.path.join(locale_dir, "en@pseudo", "LC_MESSAGES"))
    shutil.copy(mo, os.path.join(locale_dir, "en@pseudo", "LC_MESSAGES", "reskill.mo"))
    base_env = dict(os.environ)
    for key in ("LANG", "LC_MESSAGES", "LANGUAGE"):
        base_env.pop(key, None)
    base_env.update({
        "LC_ALL": "C.UTF-8",
        "RESKILL_FAST_KDF": "1",
        "RESKILL_QUESTIONS_DIR": os.path.join(root, "questions"),
        "RESKILL_ROLES": os.path.join(root, "data", "roles.yaml"),
        "RESKILL_LEARNING": os.path.join(root, "data", "learning.yaml"),
        "GSETTINGS_BACKEND": "memory",
    })
    pseudo_env = dict(base_env, LANGUAGE="en@pseudo", RESKILL_LOCALEDIR=locale_dir)
    checker = Checker()
    fixtures = os.path.join(root, "tests", "fixtures")

    def run(args, env=pseudo_env, program=binary, stdin=None):
        result = subprocess.run([program] + args, env=env, capture_output=True, text=True, timeout=300,
                                input=stdin)
        return result

    # The catalog is in force at all: without this the checks below could
    # pass on a program that ignores it.
    probe = run(["--help"])
    checker.report("the pseudo-locale catalog is in force (reskill --help is marked)",
                   [] if OPEN in probe.stdout else ["no marks in: %r" % probe.stdout[:200]])
    plain = run(["--help"], env=base_env)
    checker.report("without it the program speaks English (no marks)",
                   [] if OPEN not in plain.stdout + plain.stderr else ["marks in: %r" % plain.stdout[:200]])

    commands = [line.split()[0] for line in probe.stdout.splitlines()
                if re.match(r"^  [a-z][a-z-]+ +" + OPEN, line) and not line.startswith("  reskill ")]
    checker.report("reskill --help lists the commands (%d)" % len(commands),
                   [] if len(commands) >= 14 else ["commands found: %r" % commands])
    checker.report("reskill --help", unmarked_words(probe.stdout, GLIB_TEXTS, IDS))

    app = run(["--help-all"], program=default_binary)
    checker.report("reskill --help-all (the application's options)",
                   unmarked_words(app.stdout + app.stderr, GLIB_TEXTS, IDS) or
                   ([] if app.returncode == 0 else ["exit %d" % app.returncode]))

    for command in commands:
        result = run([command, "--help"])
        problems = unmarked_words(result.stdout + result.stderr, GLIB_TEXTS, IDS)
        if result.returncode != 0:
            problems.append("exit status %d" % result.returncode)
        checker.report("reskill %s --help" % command, problems)
        bad = run([command, "--no-such-option"])
        problems = unmarked_words(bad.stdout + bad.stderr, GLIB_TEXTS, IDS)
        if bad.returncode == 0:
            problems.append("a bad option exited 0")
        if OPEN not in bad.stderr:
            problems.append("no translated message on stderr: %r" % bad.stderr)
        checker.report("reskill %s --no-such-option" % command, problems)

    unknown = run(["frobnicate"])
    checker.report("an unknown command", unmarked_words(unknown.stderr, GLIB_TEXTS, IDS | {"frobnicate"}))

    # Messages from the core, through the commands.
    db = os.path.join(tmp, "demo.db")
    seed = run(["seed-demo", "--db", db, "--people", "6", "--attempts-per-person", "2",
                "--questions", os.path.join(root, "questions")])
    checker.report("seed-demo", unmarked_words(seed.stdout + seed.stderr, exempt_words=IDS) or
                   ([] if seed.returncode == 0 else ["exit %d: %s" % (seed.returncode, seed.stderr)]))

    names = set()
    with sqlite3.connect(db) as conn:
        for (name,) in conn.execute("SELECT name FROM people"):
            names.add(name)
        for (name,) in conn.execute("SELECT name FROM teams"):
            names.add(name)
    with open(os.path.join(root, "data", "roles.yaml"), encoding="utf-8") as roles:
        for line in roles:
            match = re.match(r"^\s*-?\s*name:\s*(.+?)\s*$", line)
            if match:
                names.add(match.group(1).strip("'\""))
    name_words = set()
    for name in names:
        name_words.update(TOKEN.findall(name))
    # Subtopic ids name the bank's files and sections: bank content.
    subtopics = set()
    for folder, _dirs, files in os.walk(os.path.join(root, "questions")):
        for file in files:
            if file.endswith(".yaml"):
                with open(os.path.join(folder, file), encoding="utf-8") as f:
                    for line in f:
                        match = re.match(r"^\s*subtopic:\s*(\S+)\s*$", line)
                        if match:
                            subtopics.add(match.group(1))

    broken_bank = run(["validate", os.path.join(fixtures, "bank")])
    problems = unmarked_words(broken_bank.stderr, exempt_words=IDS)
    if broken_bank.returncode == 0 or broken_bank.stderr.count("\n") < 5:
        problems.append("expected problems, got exit %d and %r" % (broken_bank.returncode, broken_bank.stderr[:300]))
    checker.report("validate on a broken bank: every file:line: message", problems)

    good = run(["validate"])
    checker.report("validate on the real bank: counts and warnings",
                   unmarked_words(good.stdout + good.stderr, exempt_words=IDS | subtopics))

    cues = run(["validate", "--cues", os.path.join(fixtures, "good-bank")])
    checker.report("validate --cues: the cue audit's table",
                   unmarked_words(cues.stdout + cues.stderr, exempt_words=IDS))

    problems = []
    people_fixtures = sorted(f for f in os.listdir(os.path.join(fixtures, "people")) if f != "good.csv")
    for name in people_fixtures:
        people_db = os.path.join(tmp, "people-%s.db" % name)
        result = run(["import-people", "--db", people_db, os.path.join(fixtures, "people", name)])
        problems += ["%s: %s" % (name, p) for p in unmarked_words(result.stdout + result.stderr, exempt_words=IDS)]
        if result.returncode == 0 and name != "reordered.csv":
            problems.append("%s was accepted" % name)
    checker.report("import-people on every bad people file (%d)" % len(people_fixtures), problems)

    good_people = run(["import-people", "--db", os.path.join(tmp, "people.db"),
                       os.path.join(fixtures, "people", "good.csv")])
    # The "EMPLOYEE_NO PIN NAME" lines are data for the person who hands out PINs.
    pin_lines = [re.compile(r"^\S+ \d{4,} .+$")]
    checker.report("import-people on a good file",
                   unmarked_words(good_people.stdout + good_people.stderr, exempt_words=IDS | name_words,
                                  machine_lines=pin_lines))

    failures = [
        ("take with an unknown skill", ["take", "--db", os.path.join(tmp, "t.db"), "--skills", "juggling"]),
        ("take without --db", ["take", "--skills", "python"]),
        ("report on a team that does not exist", ["report", "--db", db, "--team", "Nowhere", "--format", "pdf",
                                                  "--output", os.path.join(tmp, "x.pdf")]),
        ("report in an unknown format", ["report", "--db", db, "--team", "Platform", "--format", "docx",
                                         "--output", os.path.join(tmp, "x.docx")]),
        ("report on a missing database", ["report", "--db", os.path.join(tmp, "missing.db"), "--team", "Platform",
                                          "--format", "csv", "--output", os.path.join(tmp, "x.csv")]),
        ("report as an employee", ["report", "--db", db, "--team", "Platform", "--format", "csv",
                                   "--output", os.path.join(tmp, "x.csv"), "--as", "3001"]),
        ("kiosk trust of a bad fingerprint", ["kiosk", "trust", "--db", db, "not-a-fingerprint"]),
        ("kiosk with an unknown action", ["kiosk", "frobnicate", "--db", db]),
        ("check on a file that is not a database", ["check", "--db", os.path.join(root, "data", "roles.yaml")]),
        ("import-results of a file that is not a bundle", ["import-results", "--db", db,
                                                           os.path.join(root, "data", "roles.yaml")]),
        ("unlock without a number", ["unlock", "--db", db]),
        ("setup-code on a database with an administrator", ["setup-code", "--db", db]),
        ("simulate with nothing to simulate", ["simulate"]),
        ("simulate with bad options", ["simulate", "--skill", "python", "--se", "-1"]),
        ("calibrate on a missing responses file", ["calibrate", "--responses", os.path.join(tmp, "none.csv"),
                                                   "--model", "2pl", "--out", os.path.join(tmp, "p.csv")]),
        ("item-stats on a missing database", ["item-stats", "--db", os.path.join(tmp, "missing.db")]),
    ]
    bad_responses = os.path.join(tmp, "responses.csv")
    with open(bad_responses, "w", encoding="utf-8") as f:
        f.write("person,item_id,score\n1,i1,1\n2,i1,abc\n")
    failures.append(("calibrate on a responses file with a bad score",
                     ["calibrate", "--responses", bad_responses, "--model", "2pl", "--out", os.path.join(tmp, "p.csv")]))
    for name, args in failures:
        result = run(args)
        problems = unmarked_words(result.stdout + result.stderr, GLIB_TEXTS, IDS | name_words | {"frobnicate",
                                                                                               "juggling", "docx",
                                                                                               "Nowhere"})
        if result.returncode == 0:
            problems.append("exit status 0")
        if OPEN not in result.stderr:
            problems.append("no translated message: %r" % result.stderr)
        checker.report(name, problems)

    # What people read when things work.
    take = run(["take", "--db", os.path.join(tmp, "take.db"), "--skills", "all", "--mode", "quick",
                "--auto-answer", "random", "--seed", "7"])
    checker.report("take --auto-answer: the results, levels and role advice",
                   unmarked_words(take.stdout + take.stderr, exempt_words=IDS | name_words,
                                  machine_lines=MACHINE_LINES[:1]) or
                   ([] if take.returncode == 0 else ["exit %d: %s" % (take.returncode, take.stderr)]))

    stats = run(["item-stats", "--db", db])
    checker.report("item-stats: the table and the summary",
                   unmarked_words(stats.stdout + stats.stderr, exempt_words=IDS))

    calibrate = run(["calibrate", "--db", db, "--min-responses", "5"])
    checker.report("calibrate --db: the review",
                   unmarked_words(calibrate.stdout + calibrate.stderr, exempt_words=IDS) or
                   ([] if calibrate.returncode == 0 else ["exit %d: %s" % (calibrate.returncode, calibrate.stderr)]))

    bundle = os.path.join(tmp, "out.bundle")
    export = run(["export-results", "--db", db, "--output", bundle])
    checker.report("export-results", unmarked_words(export.stdout + export.stderr, exempt_words=IDS,
                                                    machine_lines=MACHINE_LINES))
    other = os.path.join(tmp, "other.db")
    run(["seed-demo", "--db", other, "--people", "2", "--attempts-per-person", "1"], env=base_env)
    show = run(["kiosk", "show-key", "--db", db])
    fingerprint = re.search(r"^fingerprint (\S+)$", show.stdout, re.M)
    checker.report("kiosk show-key: key-value lines for scripts",
                   [] if fingerprint else ["no fingerprint line in %r" % show.stdout])
    if fingerprint:
        trust = run(["kiosk", "trust", "--db", other, fingerprint.group(1), "--name", "Break room"])
        listing = run(["kiosk", "list", "--db", other])
        imported = run(["import-results", "--db", other, bundle])
        checker.report("kiosk trust, kiosk list and import-results",
                       unmarked_words(trust.stdout + trust.stderr + listing.stdout + imported.stdout + imported.stderr,
                                      exempt_words=IDS | {"Break", "room"}))
    check = run(["check", "--db", db])
    checker.report("check", unmarked_words(check.stdout + check.stderr, exempt_words=IDS))
    no_admin_csv, no_admin_db = os.path.join(tmp, "no-admin.csv"), os.path.join(tmp, "no-admin.db")
    with open(no_admin_csv, "w", encoding="utf-8") as f:
        f.write("employee_no,name,team,role\n7001,Pat Example,Platform,employee\n")
    refused = run(["import-people", "--db", no_admin_db, no_admin_csv])
    allowed = run(["import-people", "--db", no_admin_db, "--allow-no-admin", no_admin_csv])
    setup = run(["setup-code", "--db", no_admin_db])
    unlocked = run(["unlock", "--db", no_admin_db, "7001"])
    checker.report("import-people without an administrator, setup-code and unlock",
                   unmarked_words(refused.stderr + allowed.stderr + setup.stdout + setup.stderr + unlocked.stdout,
                                  exempt_words=IDS | {"Pat", "Example", "Platform"}) or
                   ([] if setup.returncode == 0 and refused.returncode != 0
                    else ["exits: import %d, setup-code %d" % (refused.returncode, setup.returncode)]))

    # The PDF report: every word on every page, names and numbers aside.
    pdf = os.path.join(tmp, "report.pdf")
    made = run(["report", "--db", db, "--team", "Platform", "--format", "pdf", "--output", pdf])
    if made.returncode != 0:
        checker.report("report --format pdf", ["exit %d: %s" % (made.returncode, made.stderr)])
    else:
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"], capture_output=True, text=True).stdout
        # Ellipsized cells ("…") end a span early: close it there.
        text = re.sub("\u2026", CLOSE, text)
        problems = unmarked_words(made.stdout + made.stderr + "\n" + text, exempt_words=IDS | name_words)
        if OPEN not in text:
            problems.append("no marks in the PDF's text")
        checker.report("report --format pdf: every page of the PDF (pdftotext)", problems)

    # The CSV: the same bytes in every language.
    csv_pseudo, csv_plain = os.path.join(tmp, "pseudo.csv"), os.path.join(tmp, "plain.csv")
    run(["report", "--db", db, "--team", "Platform", "--format", "csv", "--output", csv_pseudo])
    run(["report", "--db", db, "--team", "Platform", "--format", "csv", "--output", csv_plain], env=base_env)
    stats_pseudo = run(["item-stats", "--db", db, "--csv"]).stdout
    stats_plain = run(["item-stats", "--db", db, "--csv"], env=base_env).stdout
    problems = []
    with open(csv_pseudo, "rb") as a, open(csv_plain, "rb") as b:
        one, two = a.read(), b.read()
        if one != two or not one.startswith(b"employee_no,name,skill,level,"):
            problems.append("the team report CSV differs between languages")
        if "between".encode() not in one and b"Proficient" not in one and b"Developing" not in one:
            problems.append("the CSV's level column lost its English words")
    if stats_pseudo != stats_plain or OPEN in stats_pseudo:
        problems.append("item-stats --csv differs between languages")
    checker.report("the CSV exports are the same bytes in every language", problems)

    print("1..%d" % checker.n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
