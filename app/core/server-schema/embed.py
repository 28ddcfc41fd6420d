#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Writes the server schema's SQL files into a C header of string constants
# (server_schema_v1, ...), so that the migrations stay readable SQL files
# that psql can run, and the program carries them inside.
import pathlib
import sys

out = pathlib.Path(sys.argv[1])
lines = ['/* Generated from the SQL files of app/core/server-schema by embed.py: do not edit. */', '#pragma once', '']
for name in sys.argv[2:]:
    path = pathlib.Path(name)
    text = path.read_text(encoding='utf-8')
    lines.append('static const char server_schema_%s[] =' % path.stem)
    for line in text.splitlines():
        escaped = line.replace('\\', '\\\\').replace('"', '\\"')
        lines.append('  "%s\\n"' % escaped)
    lines.append('  ;')
    lines.append('')
out.write_text('\n'.join(lines), encoding='utf-8')
