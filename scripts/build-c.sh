#!/usr/bin/env bash
# Builds the C guest fixtures: programs/c/<name>.c -> <out>/<name>.wasm
# (out defaults to programs/c/build), stock wasi-libc programs; and the
# programs over the C layer, programs/c/posix/<name>.c -> <posix-out>/<name>.wasm
# (defaults to programs/c/posix/build), with `wasmux cc` (which builds its
# sysroot, libwasmux.a included, into its cache when missing). The .wasm files are committed so that
# `npm test` needs no C toolchain; CI rebuilds them into a temp dir and
# compares bytes, so the build must be reproducible (no paths, no timestamps,
# no debug info in the output).
#
# Usage: scripts/build-c.sh [outdir [posix-outdir]]
# Toolchain: Debian's clang-14, lld-14 (wasm-ld), wasi-libc and
# libclang-rt-14-dev-wasm32. Override with CLANG=..., WASI_SYSROOT=...
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
src="$root/programs/c"
out="${1:-$src/build}"
posix_out="${2:-$src/posix/build}"
clang="${CLANG:-clang-14}"

# Debian's wasi-libc installs into /usr/{include,lib}/wasm32-wasi, i.e. the
# sysroot is /usr; the upstream wasi-sdk layout is a separate wasi-sysroot.
if [[ -z "${WASI_SYSROOT:-}" ]]; then
  if [[ -d /usr/share/wasi-sysroot ]]; then WASI_SYSROOT=/usr/share/wasi-sysroot
  else WASI_SYSROOT=/usr; fi
fi

have_toolchain() {
  command -v "$clang" >/dev/null 2>&1 || return 1
  command -v wasm-ld-14 >/dev/null 2>&1 || command -v wasm-ld >/dev/null 2>&1 || return 1
  [[ -f "$WASI_SYSROOT/lib/wasm32-wasi/libc.a" ]]
}
if ! have_toolchain; then
  echo "build-c: missing C toolchain; install the Debian packages: clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32" >&2
  exit 1
fi

# clang's wasm driver runs `wasm-opt` on the linked module whenever one is on
# PATH (and `npm run` puts binaryen's in node_modules/.bin), so the bytes
# would depend on PATH: build with such directories removed.
clang="$(command -v "$clang")"
clean_path=""
IFS=: read -ra dirs <<<"$PATH"
for d in "${dirs[@]}"; do
  [[ -n "$d" && ! -x "$d/wasm-opt" ]] && clean_path+="${clean_path:+:}$d"
done

mkdir -p "$out"
for c in "$src"/*.c; do
  name="$(basename "$c" .c)"
  # Compile from inside the source dir with a relative file name so no
  # absolute path can end up in the module. --strip-debug drops the DWARF
  # that Debian's libc.a carries (80% of the bytes, and build paths) but
  # keeps the name section, for readable trap backtraces.
  (cd "$src" && PATH="$clean_path" "$clang" --target=wasm32-wasi --sysroot="$WASI_SYSROOT" -O2 -Wall \
     -Wl,--strip-debug -o "$out/$name.wasm" "$name.c")
  echo "build-c: $name.wasm ($(wc -c <"$out/$name.wasm") bytes)"
done

# The layer's programs: through the driver, from inside their directory
# (relative names), without DWARF (Debian's libc.a carries build paths).
if [[ ! -f "$root/dist/cli.js" ]]; then node "$root/scripts/build.mjs" host >/dev/null; fi
mkdir -p "$posix_out"
for c in "$src"/posix/*.c; do
  name="$(basename "$c" .c)"
  (cd "$src/posix" && node "$root/bin/wasmux.js" cc -O2 -Wall -Wl,--strip-debug -o "$posix_out/$name.wasm" "$name.c")
  echo "build-c: posix/$name.wasm ($(wc -c <"$posix_out/$name.wasm") bytes)"
done
