#!/usr/bin/env bash
# Builds an offline install kit for a jump host: queuetui's own wheel plus a wheel for every runtime
# dependency, all in one folder.
#
#   scripts/build-wheelhouse.sh [PYTHON_VERSION] [OUTPUT_DIR]
#
# PYTHON_VERSION  the jump host's Python, e.g. 3.10 (default: this machine's python3)
# OUTPUT_DIR      where the wheels go (default: ./wheelhouse)
# PYTHON=...      the interpreter to build with, when python3.X is not on PATH or under pyenv
# PLATFORM=...    a pip platform tag when the jump host differs from this machine, e.g.
#                 manylinux2014_x86_64 or manylinux2014_aarch64 (some dependencies are compiled per platform)
#
# Then copy the folder across and, on the jump host:
#   python3 -m venv ~/queuetui && ~/queuetui/bin/pip install --no-index --find-links wheelhouse queuetui
set -euo pipefail

version="${1:-}"
out="${2:-wheelhouse}"
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

find_python() {
    # pip evaluates dependency markers (tomli is needed below 3.11 only) for the interpreter that runs it,
    # not for --python-version, so the download must run under the target version itself.
    if [[ -n "${PYTHON:-}" ]]; then
        echo "$PYTHON"
        return
    fi
    if [[ -z "$version" ]]; then
        echo python3
        return
    fi
    if command -v "python$version" >/dev/null && "python$version" -c '' 2>/dev/null; then
        echo "python$version"
        return
    fi
    if command -v pyenv >/dev/null; then
        local candidate
        for candidate in "$(pyenv root)/versions/$version".*/bin/python; do
            [[ -x "$candidate" ]] && found="$candidate"
        done
        if [[ -n "${found:-}" ]]; then
            echo "$found"
            return
        fi
    fi
    echo "error: no Python $version found; install it or set PYTHON=/path/to/python$version" >&2
    exit 2
}

python="$(find_python)"
actual="$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
if [[ -n "$version" && "$actual" != "$version" ]]; then
    echo "error: $python is Python $actual, not $version" >&2
    exit 2
fi

mkdir -p "$out"
out="$(cd "$out" && pwd)"
rm -f "$out"/queuetui-*.whl  # an older build of ours would make the install ambiguous

echo "Building queuetui for Python $actual with $python into $out"
"$python" -m pip wheel --quiet --no-deps --wheel-dir "$out" "$repo"
wheel=("$out"/queuetui-*.whl)

platform_args=()
if [[ -n "${PLATFORM:-}" ]]; then
    platform_args=(--platform "$PLATFORM" --python-version "$actual" --implementation cp)
fi
# The ${a[@]+...} form keeps an empty array legal under `set -u` in the bash 3.2 that macOS ships.
"$python" -m pip download --quiet --only-binary=:all: ${platform_args[@]+"${platform_args[@]}"} \
    --dest "$out" "${wheel[0]}"

if command -v sha256sum >/dev/null; then
    (cd "$out" && sha256sum ./*.whl >SHA256SUMS)
else
    (cd "$out" && shasum -a 256 ./*.whl >SHA256SUMS)
fi
wheels=("$out"/*.whl)
echo "Done: ${#wheels[@]} wheels in $out (checksums in SHA256SUMS)."
echo "On the jump host: python3 -m venv ~/queuetui && ~/queuetui/bin/pip install --no-index --find-links $(basename "$out") queuetui"
