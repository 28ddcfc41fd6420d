#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Reskill as a real Linux kiosk: `reskill --kiosk` under cage (the Wayland
# kiosk compositor the systemd unit uses), headless. The app writes its own
# screenshot of the first frame of the attract screen; the picture must fill
# cage's headless output (1280x720) and not be blank.
#
# cage refuses to run as root, so as root the run is done as `nobody` with
# its own XDG_RUNTIME_DIR (mode 0700), from a copy of what it needs in a
# temporary folder it can read. cage always exits 0: the app's exit status
# comes back through a file. Exit 77 (skipped) only when cage cannot start
# at all here.
#
# Usage: kiosk-under-cage.sh RESKILL_BIN SOURCE_ROOT
set -u

bin=${1:-${RESKILL_BIN:-}}
root=${2:-${RESKILL_SOURCE_ROOT:-}}
if [ -z "$bin" ] || [ -z "$root" ]; then
  echo "usage: $0 RESKILL_BIN SOURCE_ROOT" >&2
  exit 2
fi
for tool in cage dbus-run-session timeout python3; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "SKIP: $tool is not installed (tools/install-deps installs it)"
    exit 77
  fi
done

tmp=$(mktemp -d /tmp/reskill-cage-XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
cp "$bin" "$tmp/reskill"
cp -r "$root/questions" "$tmp/questions"
cp "$root/data/roles.yaml" "$tmp/roles.yaml"
mkdir -m 700 "$tmp/runtime" "$tmp/home"
mkdir -m 755 "$tmp/out"

# A database with an administrator, so the kiosk starts on the attract
# screen rather than on "create the first administrator".
if ! RESKILL_FAST_KDF=1 "$tmp/reskill" seed-demo --db "$tmp/out/kiosk.db" --questions "$tmp/questions" \
    --people 2 --attempts-per-person 1 >"$tmp/seed.log" 2>&1; then
  cat "$tmp/seed.log"
  echo "FAIL: seed-demo"
  exit 1
fi

if [ "$(id -u)" = 0 ]; then
  chown -R nobody:nogroup "$tmp/runtime" "$tmp/home" "$tmp/out"
  as_user="setpriv --reuid=nobody --regid=nogroup --clear-groups --"
else
  as_user=""
fi

shot="$tmp/out/attract.png"
rcfile="$tmp/out/rc"
started="$tmp/out/started"
start=$(date +%s)
# shellcheck disable=SC2086 # $as_user is a command prefix, empty when not root
timeout -k 5 60 $as_user env -u DISPLAY -u WAYLAND_DISPLAY HOME="$tmp/home" XDG_RUNTIME_DIR="$tmp/runtime" \
  dbus-run-session -- \
  env WLR_BACKENDS=headless WLR_LIBINPUT_NO_DEVICES=1 GDK_BACKEND=wayland GTK_A11Y=none GSETTINGS_BACKEND=memory \
  RESKILL_QUESTIONS_DIR="$tmp/questions" RESKILL_ROLES="$tmp/roles.yaml" \
  cage -- sh -c 'touch "$1"; "$2" --kiosk --db "$3" --kiosk-screenshot "$4"; echo $? > "$5"' \
  sh "$started" "$tmp/reskill" "$tmp/out/kiosk.db" "$shot" "$rcfile" \
  >"$tmp/cage.log" 2>&1
status=$?
elapsed=$(( $(date +%s) - start ))
cat "$tmp/cage.log"
echo "cage run: exit $status after ${elapsed}s"

if [ ! -e "$started" ]; then
  if [ "$status" = 124 ] || [ "$status" = 137 ]; then
    echo "FAIL: cage hung without starting Reskill"
    exit 1
  fi
  echo "SKIP: cage could not start here (exit $status); see its log above"
  exit 77
fi
if [ ! -s "$rcfile" ]; then
  echo "FAIL: Reskill did not finish under cage (timeout or crash; cage exit $status)"
  exit 1
fi
rc=$(cat "$rcfile")
if [ "$rc" != 0 ]; then
  echo "FAIL: reskill --kiosk --kiosk-screenshot exited $rc under cage"
  exit 1
fi

# The PNG: its size, and how many colours (a blank frame has one or two).
python3 - "$shot" <<'PY'
import struct, sys, zlib

path = sys.argv[1]
data = open(path, "rb").read()
if data[:8] != b"\x89PNG\r\n\x1a\n":
    sys.exit("FAIL: %s is not a PNG" % path)
pos, idat, header = 8, b"", None
while pos < len(data):
    length, kind = struct.unpack(">I4s", data[pos:pos + 8])
    chunk = data[pos + 8:pos + 8 + length]
    if kind == b"IHDR":
        header = struct.unpack(">IIBBBBB", chunk)
    elif kind == b"IDAT":
        idat += chunk
    pos += 12 + length
width, height, depth, colour_type = header[:4]
channels = {2: 3, 6: 4}.get(colour_type)
if depth != 8 or channels is None:
    sys.exit("FAIL: unexpected PNG format depth %d colour type %d" % (depth, colour_type))
raw = zlib.decompress(idat)
stride = width * channels
rows, prev = [], bytearray(stride)
for y in range(height):
    f = raw[y * (stride + 1)]
    line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - channels] if i >= channels else 0
        b = prev[i]
        c = prev[i - channels] if i >= channels else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    rows.append(bytes(line))
    prev = line
colours = set()
for line in rows[::4]:
    for x in range(0, stride, channels * 4):
        colours.add(line[x:x + 3])
# The frame reaches the edges: the bottom-right corner is drawn, not empty.
corner = rows[-1][-channels:]
print("attract screenshot: %dx%d, %d colours sampled, bottom-right pixel %s" % (width, height, len(colours), corner.hex()))
if (width, height) != (1280, 720):
    sys.exit("FAIL: the attract screen is %dx%d, cage's headless output is 1280x720" % (width, height))
if len(colours) < 32:
    sys.exit("FAIL: the attract screen looks blank (%d colours)" % len(colours))
if channels == 4 and corner[3] != 255:
    sys.exit("FAIL: the bottom-right corner is transparent: the window does not fill the output")
PY
[ $? = 0 ] || exit 1
# To look at it: RESKILL_CAGE_SHOT=/some/file.png
[ -n "${RESKILL_CAGE_SHOT:-}" ] && cp "$shot" "$RESKILL_CAGE_SHOT"
echo "PASS: the attract screen fills cage's 1280x720 output"
