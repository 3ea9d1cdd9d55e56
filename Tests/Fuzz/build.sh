#!/usr/bin/env bash
# Builds the libFuzzer targets: fuzz-query (lexer, parser, binder, executor, and well-typed
# pipelines over the built-in tables), fuzz-csv (the CSV importer) and fuzz-import (a fuzzer-made
# CSV imported, then well-typed pipelines over it), each from every AnSinhCore source plus its entry file, compiled into one
# module with -sanitize=fuzzer,address.
#
# usage: Tests/Fuzz/build.sh            (outputs in $FUZZ_SCRATCH/fuzz/)
# env:   FUZZ_SCRATCH  SwiftPM scratch folder (default: .build-fuzz in the package root)
#        FUZZ_TARGETS  which targets to build (default: "query csv import")
#        FUZZ_OUT      where the binaries go (default: $FUZZ_SCRATCH/fuzz)
#        FUZZ_OPT      optimisation (default -O; -Onone keeps Swift's debug preconditions, such as
#                      bounds checks on unsafe buffer pointers, at about a third of the speed)
#
# AnSinhCore needs EmbeddedDataset.swift, which SwiftPM's build plugin normally writes. This
# script builds the EmbedDataset tool with `swift build` and runs it on the same inputs, in the
# same order, as Plugins/EmbedDatasetPlugin does.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
scratch=${FUZZ_SCRATCH:-$root/.build-fuzz}
out=${FUZZ_OUT:-$scratch/fuzz}
targets=${FUZZ_TARGETS:-query csv import}
mkdir -p "$out"

echo "== building the EmbedDataset tool (swift build --scratch-path $scratch)"
swift build --scratch-path "$scratch" --product EmbedDataset >"$out/swift-build.log" 2>&1 || {
    tail -40 "$out/swift-build.log"; echo "build.sh: swift build failed (log: $out/swift-build.log)" >&2; exit 1; }
tool=$(swift build --scratch-path "$scratch" --product EmbedDataset --show-bin-path)/EmbedDataset

lessons=()
for lesson in lessons/*.lesson; do lessons+=("$lesson"); done
# The same list as the plugin: tables.csv, columns.csv, then each table named in tables.csv.
datasets=(datasets/tables.csv datasets/columns.csv)
while IFS= read -r name; do [ -n "$name" ] && datasets+=("datasets/$name.csv"); done < <(tail -n +2 datasets/tables.csv | cut -d, -f1)
"$tool" "$out/EmbeddedDataset.swift" "${datasets[@]}" "${lessons[@]}"

echo "   sources: $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git status --porcelain Sources 2>/dev/null | grep -q . && echo ' + uncommitted changes in Sources/')"
# Compile a snapshot, so an edit made while swiftc runs cannot break the build half-way.
rm -rf "$out/src" "$out/entry" && mkdir -p "$out/src" "$out/entry" && cp -R Sources/AnSinhCore "$out/src/" && cp Tests/Fuzz/Fuzz*.swift "$out/entry/"
mapfile -t sources < <(find "$out/src/AnSinhCore" -name '*.swift' | sort)
for target in $targets; do
    case $target in
        query) entry="FuzzQuery.swift FuzzPipeline.swift" ;;
        csv) entry=FuzzCSV.swift ;;
        import) entry="FuzzImport.swift FuzzPipeline.swift" ;;
        *) echo "build.sh: unknown target $target (query, csv, import)" >&2; exit 1 ;;
    esac
    entries=()
    for file in $entry; do entries+=("$out/entry/$file"); done
    echo "== swiftc -sanitize=fuzzer,address ${FUZZ_OPT:--O}: fuzz-$target"
    # Run from the output folder: with -g, swiftc also writes AnSinhCore-1.swiftmodule/.swiftdoc/
    # .swiftsourceinfo into the current folder, which must not be the repository.
    (cd "$out" && swiftc -sanitize=fuzzer,address -parse-as-library "${FUZZ_OPT:--O}" -wmo -num-threads 2 -g \
        -debug-prefix-map "$out/src=$root/Sources" -debug-prefix-map "$out/entry=$root/Tests/Fuzz" \
        -module-name AnSinhCore "${sources[@]}" "$out/EmbeddedDataset.swift" "${entries[@]}" \
        -o "$out/fuzz-$target") >"$out/swiftc-$target.log" 2>&1 || {
        grep -v "Cannot export local symbol '__asan" "$out/swiftc-$target.log" | grep -B2 -A6 "error:" | head -60
        echo "build.sh: swiftc failed for fuzz-$target (log: $out/swiftc-$target.log)" >&2; exit 1; }
    echo "   $out/fuzz-$target"
done
