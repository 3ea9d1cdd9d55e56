#!/usr/bin/env bash
# Builds and runs the fuzz targets (query, csv, import) for a bounded time; prints executions and crashes.
#
# usage: Tests/Fuzz/run.sh SECONDS        each target runs SECONDS (the two run side by side)
# env:   FUZZ_SCRATCH     build folder (default: .build-fuzz in the package root)
#        FUZZ_OUT         binaries, working corpora and logs (default: $FUZZ_SCRATCH/fuzz)
#        FUZZ_OPT         passed to build.sh (-Onone: slower, with Swift's debug bounds checks)
#        FUZZ_SKIP_BUILD  set to 1 to reuse the binaries of the last build
#        FUZZ_TARGETS     default "query csv import"
#        FUZZ_JOBS        above 1 (the default, 2) runs the targets side by side; 1 runs them one after the other
#        FUZZ_LEAKS       set to 1 to treat memory leaks as failures (LeakSanitizer; off by default)
#        ANSINH_FUZZ_SKIP_INVALID_UTF8  set to 1 to skip non-UTF-8 CSV inputs (to look past a crash
#                         on that path while it is being fixed; see FuzzCSV.swift)
#
# Exit status: 0 when no target crashed, hung (-timeout) or ran out of memory (-rss_limit_mb);
# 1 otherwise, after printing each failing input (hex and escaped) and the top of its report.
# The working corpus grows in $FUZZ_OUT/corpus-TARGET (seeded from Tests/Fuzz/seeds/
# and Tests/Corpus/), so later runs start where earlier ones stopped.
set -uo pipefail
seconds=${1:?usage: Tests/Fuzz/run.sh SECONDS}
cd "$(dirname "$0")/../.."
root=$(pwd)
scratch=${FUZZ_SCRATCH:-$root/.build-fuzz}
out=${FUZZ_OUT:-$scratch/fuzz}
targets=${FUZZ_TARGETS:-query csv import}
jobs=${FUZZ_JOBS:-2}

if [ "${FUZZ_SKIP_BUILD:-0}" != 1 ]; then
    FUZZ_SCRATCH=$scratch FUZZ_OUT=$out FUZZ_TARGETS=$targets Tests/Fuzz/build.sh || exit 1
fi

run_target() {
    local target=$1 corpus=$out/corpus-$1 artifacts=$out/artifacts-$1/ maxlen dict
    mkdir -p "$corpus" "$artifacts"
    cp -n Tests/Fuzz/seeds/"$target"/* "$corpus"/ 2>/dev/null
    case $target in
        query) maxlen=16384; dict=Tests/Fuzz/query.dict
               for f in Tests/Corpus/query/*.input; do [ -f "$f" ] && [ "$(stat -c %s "$f")" -le 65536 ] && cp -n "$f" "$corpus/"; done ;;
        csv)   maxlen=65536; dict=Tests/Fuzz/csv.dict
               for f in Tests/Corpus/csv/*.csv; do [ -f "$f" ] && [ "$(stat -c %s "$f")" -le 65536 ] && cp -n "$f" "$corpus/"; done ;;
        # An options byte, the CSV's length (two bytes), the CSV, then the pipeline choices.
        import) maxlen=16384; dict=Tests/Fuzz/csv.dict ;;
    esac
    # -timeout: one input running 10 s is a hang. -rss_limit_mb: 2 GB is a leak or a blow-up.
    local leaks=${FUZZ_LEAKS:-0}
    ASAN_OPTIONS=detect_leaks=$leaks SWIFT_BACKTRACE=interactive=no,color=no,timeout=30s \
    "$out/fuzz-$target" "$corpus" -dict="$dict" -max_len=$maxlen -max_total_time="$seconds" \
        -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$artifacts" -print_final_stats=1 \
        -detect_leaks="$leaks" >"$out/run-$target.log" 2>&1
    echo $? >"$out/run-$target.status"
}

: >"$out/pids"
for target in $targets; do
    rm -f "$out/run-$target.status"
    find "$out/artifacts-$target" -type f -delete 2>/dev/null
    if [ "$jobs" -gt 1 ]; then run_target "$target" & else run_target "$target"; fi
done
wait

failed=0
printf '\n%-8s %12s %10s %8s %8s  %s\n' target executions exec/s corpus status failures
for target in $targets; do
    log=$out/run-$target.log
    status=$(cat "$out/run-$target.status" 2>/dev/null || echo "?")
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
    [ -n "$runs" ] || runs=$(grep -o '^#[0-9]*' "$log" | tail -1 | tr -d '#')
    rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
    size=$(ls "$out/corpus-$target" | wc -l)
    mapfile -t found < <(find "$out/artifacts-$target" -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'leak-*' \) 2>/dev/null)
    printf '%-8s %12s %10s %8s %8s  %s\n' "$target" "${runs:-0}" "${rate:-?}" "$size" "$status" "${#found[@]}"
    if [ "$status" != 0 ] || [ "${#found[@]}" -gt 0 ]; then
        failed=1
        for input in "${found[@]}"; do
            echo "--- $target: $input"
            echo "hex:     $(head -c 512 "$input" | od -An -tx1 | tr -s ' \n' ' ')"
            echo "escaped: $(head -c 512 "$input" | python3 -c 'import sys; print(repr(sys.stdin.buffer.read()))')"
        done
        echo "--- $target: report (from $log)"
        grep -n -m1 -A40 'ERROR: \|Fatal error\|Program crashed\|==ERROR\|deadly signal\|ALARM' "$log" | head -60
    fi
done
exit $failed
