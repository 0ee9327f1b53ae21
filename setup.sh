#!/usr/bin/env bash
# setup.sh: goscope's quick start, in two commands.
#
#   ./setup.sh run [goscope options]   install what is missing, build, launch the app
#                                      (no display: render a screenshot with xvfb-run
#                                      and run a lesson in the terminal instead)
#   ./setup.sh test                    install what is missing, build, run every test,
#                                      then the tests under AddressSanitizer + UBSan and
#                                      the runtime's tests under ThreadSanitizer
#
# Builds go to build/ (the app: build/goscope), build-asan/ and build-tsan/.
# Packages come from Debian's apt only; a machine that has them all needs no root.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
ROOT=$PWD
JOBS=$(nproc 2>/dev/null || echo 2)

# Why each package is here: see "Dependencies" in README.md.
PACKAGES=(
  cmake g++ ninja-build pkg-config
  libgtest-dev libgmock-dev libbenchmark-dev
  libimgui-dev libstb-dev libglfw3-dev python3-glad
  libboost-context-dev libboost-fiber-dev
  xvfb xauth libgl1-mesa-dri fonts-dejavu-core
  nlohmann-json3-dev libcli11-dev golang-go
)

say() { printf 'setup: %s\n' "$*"; }

install_missing() {
  if ! command -v dpkg-query >/dev/null; then
    say "this is not a Debian-like system (no dpkg-query); install these by hand: ${PACKAGES[*]}"
    exit 1
  fi
  local missing=() p
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    return
  fi
  say "installing ${missing[*]}"
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { say "need root (or sudo) to install: ${missing[*]}"; exit 1; }
    sudo=(sudo)
  fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# build DIR [cmake -D options...] -- [targets...]: configure (quietly unless it fails) and build.
build() {
  local dir=$1; shift
  local options=() targets=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do options+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  targets=("$@")
  local log
  # Release by default: -O3 without debug info keeps a clean build quick on 2 cores.
  # Later -D options (the sanitizer builds) override it.
  # -DGOSCOPE_WERROR=ON: a warning (a `switch` missing an event kind, say) fails the build.
  if ! log=$(cmake -S "$ROOT" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DGOSCOPE_WERROR=ON "${options[@]}" 2>&1); then
    printf '%s\n' "$log"
    say "configuring $dir failed"
    exit 1
  fi
  if [ ${#targets[@]} -gt 0 ]; then
    cmake --build "$dir" -j "$JOBS" --target "${targets[@]}"
  else
    cmake --build "$dir" -j "$JOBS"
  fi
}

have_display() { [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; }

cmd_run() {
  install_missing
  build build -- goscope
  if have_display; then
    say "launching build/goscope $*"
    exec build/goscope "$@"
  fi
  say "no display here, so: a screenshot of the app under xvfb-run, then a lesson in the terminal"
  xvfb-run -a -s "-screen 0 1600x1000x24" build/goscope --screenshot build/goscope.png --size 1600x1000 "$@"
  say "open $ROOT/build/goscope.png to see the app"
  if build/goscope --list >/dev/null 2>&1; then
    say "lessons (build/goscope --list):"
    build/goscope --list
    say "running one (build/goscope --lesson waitgroup --run):"
    build/goscope --lesson waitgroup --run || true
  fi
}

SANITIZER_FLAGS=(-DCMAKE_BUILD_TYPE=None "-DCMAKE_CXX_FLAGS=-O1 -g1" "-DCMAKE_C_FLAGS=-O1")

phase_start=0
phase() { phase_start=$SECONDS; say "== $*"; }
phase_done() { say "   done in $((SECONDS - phase_start)) s"; }

cmd_test() {
  local start=$SECONDS
  install_missing

  phase "build (Release) and run every test"
  build build
  ctest --test-dir build --output-on-failure -j "$JOBS" --timeout 600
  phase_done

  phase "AddressSanitizer + UBSan build of the tests"
  # -O1 -g1 (line tables only): sanitizer reports keep file:line, and the build takes
  # about half the time of -O2 -g.
  build build-asan -DGOSCOPE_SANITIZE=address -DGOSCOPE_BUILD_BENCH=OFF "${SANITIZER_FLAGS[@]}"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir build-asan --output-on-failure -j "$JOBS" --timeout 900
  phase_done

  phase "ThreadSanitizer build of the runtime's tests"
  build build-tsan -DGOSCOPE_SANITIZE=thread -DGOSCOPE_BUILD_APP=OFF -DGOSCOPE_BUILD_BENCH=OFF "${SANITIZER_FLAGS[@]}" -- help >/dev/null
  local t
  for t in goscope_core_tests goscope_events_tests; do
    if ! cmake --build build-tsan --target help | grep -q "^$t:"; then
      say "   ($t has no sources yet)"
      continue
    fi
    cmake --build build-tsan -j "$JOBS" --target "$t"
    # setarch -R: TSan needs a fixed memory layout, which ASLR with many random bits
    # (newer kernels) breaks.
    TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" setarch "$(uname -m)" -R "build-tsan/tests/$t"
  done
  phase_done

  say "all tests passed in $((SECONDS - start)) s"
}

case "${1:-}" in
  run) shift; cmd_run "$@" ;;
  test) shift; cmd_test "$@" ;;
  *)
    echo "usage: ./setup.sh run [goscope options]   install, build, launch goscope"
    echo "       ./setup.sh test                    install, build, run every test"
    exit 2
    ;;
esac
