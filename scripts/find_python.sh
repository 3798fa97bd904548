#!/usr/bin/env bash
# Prints the path of a Python 3.12+ interpreter, or nothing. `PYTHON=...` wins when set.
ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; }
for candidate in "${PYTHON:-}" python3.12 python3.13 python3; do
  [ -n "$candidate" ] || continue
  path=$(command -v "$candidate" 2>/dev/null) || continue
  ok "$path" && { echo "$path"; exit 0; }
done
root=$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")
for path in "$root"/versions/3.12*/bin/python3 "$root"/versions/3.1[3-9]*/bin/python3; do
  [ -x "$path" ] && ok "$path" && { echo "$path"; exit 0; }
done
exit 0
