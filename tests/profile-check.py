#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The build profiles (meson_options.txt): the default profile, which is
what gets installed, carries none of the developer tools; the development
profile has them all. Both through the real programs.

Usage: profile-check.py DEFAULT_PROFILE_BIN DEVELOPMENT_PROFILE_BIN   (TAP)
"""
import os
import subprocess
import sys

TOOLS = ["--screenshot", "--bench-gui", "--kiosk-screenshot", "--size", "--dark"]
PRODUCT = ["--db", "--questions", "--roles", "--kiosk"]


def main():
    default, development = sys.argv[1:3]
    env = dict(os.environ, LC_ALL="C.UTF-8")
    env.pop("LANGUAGE", None)
    n = failed = 0

    def check(name, problems):
        nonlocal n, failed
        n += 1
        if problems:
            failed += 1
            print("not ok %d - %s" % (n, name))
            for p in problems:
                print("# " + p)
        else:
            print("ok %d - %s" % (n, name))

    helps = {}
    for label, program in (("default", default), ("development", development)):
        result = subprocess.run([program, "--help-all"], env=env, capture_output=True, text=True, timeout=60)
        helps[label] = result.stdout
        check("%s profile: --help-all exits 0" % label,
              [] if result.returncode == 0 else ["exit %d: %s" % (result.returncode, result.stderr)])

    options = lambda text: {word.split("=")[0] for line in text.splitlines() for word in line.split()[:1]
                            if word.startswith("--")}
    default_options, development_options = options(helps["default"]), options(helps["development"])
    check("default profile: --help-all lists the product's options",
          ["missing %s" % o for o in PRODUCT if o not in default_options])
    check("default profile: --help-all lists no developer tool",
          ["lists %s" % o for o in TOOLS if o in default_options])
    check("development profile: --help-all lists every developer tool",
          ["missing %s" % o for o in TOOLS if o not in development_options])

    # Not hidden but absent: the tools' code is not in the default program.
    with open(default, "rb") as f:
        image = f.read()
    with open(development, "rb") as f:
        dev_image = f.read()
    markers = [b"kiosk-screenshot", b"bench-gui", b"rs_screenshot_run", b"rs_bench_gui_run"]
    check("default profile: the program holds none of the tools' code or option names",
          ["%s is in %s" % (m.decode(), default) for m in markers if m in image])
    check("development profile: the program holds them (the check above can fail)",
          ["%s is not in %s" % (m.decode(), development) for m in markers[:2] if m not in dev_image])

    # A tool asked of the default profile is an unknown option, not a silent no-op.
    result = subprocess.run([default, "--screenshot", "/nonexistent"], env=env, capture_output=True, text=True,
                            timeout=60)
    check("default profile: --screenshot is refused as an unknown option",
          [] if result.returncode != 0 and "--screenshot" in result.stderr
          else ["exit %d: %s" % (result.returncode, result.stderr)])
    print("1..%d" % n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
