#!/usr/bin/env bash
# The sanitize build and what runs in it (tests/fuzz/README.md). CTest calls it as
#   sanitize.sh build SRC DIR             configure and build SRC in DIR with clang, ASan+UBSan
#                                         and the libFuzzer targets
#   sanitize.sh fuzz SRC DIR NAME SECONDS run DIR's NAME fuzzer for SECONDS (or
#                                         $HULL_FUZZ_SECONDS) on a copy of the corpus
#   sanitize.sh tests SRC DIR             DIR's unit and integration tests, once
# and each fails on any crash, leak or undefined behaviour.
set -euo pipefail

usage() {
    sed -n '2,8p' "$0" >&2
    exit 2
}

[[ $# -ge 3 ]] || usage
cmd=$1 src=$2 dir=$3
shift 3

case $cmd in
build)
    for tool in clang clang++; do
        command -v "$tool" >/dev/null ||
            { echo "sanitize.sh: $tool not found (apt-get install clang libclang-rt-14-dev llvm)" >&2; exit 1; }
    done
    cmake -S "$src" -B "$dir" -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
        -DHULL_SANITIZE=ON -DHULL_FUZZ=ON -DHULL_WERROR=ON
    cmake --build "$dir" -j"${HULL_SANITIZE_JOBS:-2}"
    ;;

fuzz)
    [[ $# -eq 2 ]] || usage
    name=$1
    seconds=${HULL_FUZZ_SECONDS:-$2}
    fuzzer=$dir/tests/fuzz/hull_fuzz_$name
    work=$dir/fuzz-$name
    rm -rf "$work"
    mkdir -p "$work/corpus" "$work/artifacts"
    # The fuzzer adds what it finds to its corpus directory: give it a copy, never the source.
    cp "$src/tests/fuzz/corpus/$name/"* "$work/corpus/"
    export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
    status=0
    "$fuzzer" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=2048 -print_final_stats=1 \
        -dict="$src/tests/fuzz/json.dict" -artifact_prefix="$work/artifacts/" \
        "$work/corpus" 2>"$work/fuzz.log" || status=$?
    grep -E '^#[0-9]+[[:space:]]+(INITED|DONE)|^stat::(number_of_executed_units|average_exec_per_sec)' \
        "$work/fuzz.log" || true
    if [[ $status -ne 0 ]] || [[ -n $(ls -A "$work/artifacts") ]]; then
        tail -n 60 "$work/fuzz.log"
        echo "sanitize.sh: fuzzer $name failed (exit $status); log, inputs and corpus in $work" >&2
        exit 1
    fi
    rm -rf "$work"
    ;;

tests)
    [[ $# -eq 0 ]] || usage
    logs=$dir/sanitizer-logs
    rm -rf "$logs"
    mkdir -p "$logs"
    # Any report from any process of any test lands in $logs (one file per process), so a
    # report from a hull that a test ran in the background still fails this run.
    export ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:log_path=$logs/asan
    export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:log_path=$logs/ubsan
    status=0
    # The thousand-container endurance run and the 600 random kills are left to the ordinary
    # build: under ASan they take most of an hour and exercise no code the rest does not.
    ctest --test-dir "$dir" -L 'unit|integration' -LE 'clients|conformance|system|fuzz|sanitize' \
        -E 'thousand containers|random moments' --output-on-failure || status=$?
    if [[ -n $(ls -A "$logs") ]]; then
        for f in "$logs"/*; do
            echo "==> $f"
            cat "$f"
        done
        echo "sanitize.sh: sanitizer reports in $logs" >&2
        exit 1
    fi
    rmdir "$logs"
    exit $status
    ;;

*)
    usage
    ;;
esac
