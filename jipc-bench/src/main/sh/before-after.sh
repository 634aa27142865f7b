#!/usr/bin/env bash
# Before/after of issue 14 (Java at C speed), with the same harness on both sides: the library
# (jipc-core) of BEFORE against that of AFTER, the bench, CLI and C peers of AFTER in both trees
# (BEFORE's core gets AFTER's io.jipc.Cpus, internal.linux.Sched and Errnos, which the harness pins
# threads with). Runs, alternating so that drift hits both alike:
#   ./jipc bench (both placements) before, after, before, after  -> OUT/{before,after}-N.json/.txt
#   HotPathRatio (per-call cost beside C) before, after           -> OUT/{before,after}-hotpath.txt
#
#   jipc-bench/src/main/sh/before-after.sh [BEFORE [AFTER [OUT]]]
#
# BEFORE: a commit whose core lacks the hot-path work (default 0c3a764, main before it was
# merged); AFTER: default HEAD; OUT: default target/before-after. Needs JAVA_HOME (or
# /usr/lib/jvm/temurin-25-jdk-amd64) for HotPathRatio, Maven (MVN_OFFLINE=-o to stay offline), gcc;
# run it on a quiet machine, inside `unshare --ipc` if other suites run. About 12 minutes.
set -euo pipefail
repo=$(git rev-parse --show-toplevel)
before=${1:-0c3a764}
after=${2:-HEAD}
out=$(realpath -m "${3:-$repo/target/before-after}")
rm -rf "$out"
mkdir -p "$out/before" "$out/after"

git -C "$repo" archive "$after" | tar -x -C "$out/after"
git -C "$repo" archive "$after" | tar -x -C "$out/before"
rm -rf "$out/before/jipc-core/src/main"
git -C "$repo" archive "$before" jipc-core/src/main | tar -x -C "$out/before"
for f in io/jipc/Cpus.java io/jipc/internal/linux/Sched.java io/jipc/internal/linux/Errnos.java; do
  git -C "$repo" show "$after:jipc-core/src/main/java/$f" > "$out/before/jipc-core/src/main/java/$f"
done

for side in before after; do
  (cd "$out/$side" && mvn -B -q ${MVN_OFFLINE:-} -DskipTests -Dmaven.javadoc.skip=true package >"$out/$side-build.txt" 2>&1) \
    || { echo "build of $side failed: $out/$side-build.txt" >&2; exit 1; }
  touch "$out/$side/jipc-cli/target/.jipc-build-stamp"
done

java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
for n in 1 2; do
  for side in before after; do
    echo "== $side, bench run $n" >&2
    (cd "$out/$side" && ./jipc bench --json "$out/$side-$n.json" >"$out/$side-$n.txt" 2>&1)
  done
done
for side in before after; do
  echo "== $side, HotPathRatio" >&2
  (cd "$out/$side" && "$java" --enable-native-access=ALL-UNNAMED -Djipc.cache="$out/cache-$side" \
      -cp 'jipc-bench/target/classes:jipc-bench/target/lib/*' io.jipc.bench.HotPathRatio 41 20000 \
      >"$out/$side-hotpath.txt" 2>&1)
done
echo "results in $out: {before,after}-{1,2}.txt/.json (bench), {before,after}-hotpath.txt" >&2
