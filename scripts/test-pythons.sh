#!/usr/bin/env bash
# Runs the test suite on the oldest and newest Pythons queuetui supports, each in its own venv under .venvs/.
#
#   scripts/test-pythons.sh [--all] [VERSION...] [-- PYTEST_ARGS...]      (default versions: 3.10 3.13)
#
# --all also runs the tests marked slow; what follows `--` goes to pytest as it is. Interpreters come from PATH (python3.X) or pyenv. A venv is
# (re)installed only when pyproject.toml changed since its last install.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
marker=(-m "not slow")
if [[ "${1:-}" == "--all" ]]; then
    marker=()
    shift
fi
versions=()
while [[ $# -gt 0 && "$1" != "--" ]]; do
    versions+=("$1")
    shift
done
[[ "${1:-}" == "--" ]] && shift
extra=("$@")
[[ ${#versions[@]} -gt 0 ]] || versions=(3.10 3.13)

find_python() {
    local version="$1" candidate found=""
    if command -v "python$version" >/dev/null && "python$version" -c '' 2>/dev/null; then
        echo "python$version"
        return
    fi
    if command -v pyenv >/dev/null; then
        for candidate in "$(pyenv root)/versions/$version".*/bin/python; do
            [[ -x "$candidate" ]] && found="$candidate"
        done
    fi
    [[ -n "$found" ]] && echo "$found"
}

stamp="$(cksum <"$repo/pyproject.toml")"
failed=()
summary=()
for version in "${versions[@]}"; do
    python="$(find_python "$version" || true)"
    if [[ -z "$python" ]]; then
        echo "error: no Python $version found (PATH or pyenv)" >&2
        failed+=("$version")
        continue
    fi
    venv="$repo/.venvs/py$version"
    if [[ ! -x "$venv/bin/python" || "$(cat "$venv/.installed" 2>/dev/null)" != "$stamp" ]]; then
        echo "== Python $version: installing into $venv"
        "$python" -m venv --clear "$venv"
        "$venv/bin/python" -m pip install --quiet -e "$repo[dev]"
        echo "$stamp" >"$venv/.installed"
    fi
    echo "== Python $version: $("$venv/bin/python" --version)"
    start=$SECONDS
    if (cd "$repo" && "$venv/bin/python" -m pytest -q -x -n 4 -p no:cacheprovider ${marker[@]+"${marker[@]}"} ${extra[@]+"${extra[@]}"}); then
        summary+=("Python $version: passed in $((SECONDS - start)) s")
    else
        summary+=("Python $version: FAILED after $((SECONDS - start)) s")
        failed+=("$version")
    fi
done

printf '%s\n' "${summary[@]}"
[[ ${#failed[@]} -eq 0 ]] || { echo "failed: ${failed[*]}" >&2; exit 1; }
