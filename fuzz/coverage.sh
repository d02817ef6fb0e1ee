#!/usr/bin/env bash
# Line coverage of the library (src/) from the committed fuzz corpus: each codec target's
# corpus and regressions through `cargo fuzz coverage`, the profiles merged, and llvm-cov's
# report over src/ (the capture target's corpus is left out: it measures the cli). Not run by
# CI (a second, instrumented build of the fuzz crate). Needs nightly and its llvm-tools:
#   bash fuzz/coverage.sh            the per-file table and the total
#   bash fuzz/coverage.sh --show     also every line of src/ no input reached
# At 98.5% (1678 of 1703 lines, before a later cut of some of those lines), what no input
# reaches is unreachable at run time:
#   algorithm.rs digest_len_bound, layout.rs pki_len   const fns evaluated only in consts
#   algorithm.rs to_wire's (_, None), lengths_for_code's split fallbacks   TABLE has every row
#   view.rs CertHashes::next's split None, arbitrary.rs push's break   guards for what the
#   parser or the count already proved
#   stream/shared.rs read_loop's last parse error (framing said Complete), block_on's Pending loop
#   error.rs HashLengthMismatch's `)?;`   only a failing Formatter takes it
set -euo pipefail
cd "$(dirname "$0")"
rustup component add llvm-tools-preview --toolchain nightly >/dev/null
bin=$(rustc +nightly --print sysroot)/lib/rustlib/x86_64-unknown-linux-gnu/bin
targets=(decode roundtrip lenient stream schedule text)
objects=()
profiles=()
for target in "${targets[@]}"; do
  # Regressions count too: cargo fuzz coverage takes one directory, so join them in a copy.
  inputs=coverage/inputs/$target
  rm -rf "$inputs" && mkdir -p "$inputs"
  cp corpus/"$target"/* "$inputs"/
  if [ -d regressions/"$target" ]; then cp regressions/"$target"/* "$inputs"/; fi
  cargo +nightly fuzz coverage "$target" "$inputs" > "coverage/$target.log" 2>&1 \
    || { tail -20 "coverage/$target.log"; exit 1; }
  profiles+=("coverage/$target/coverage.profdata")
  objects+=(-object "target/x86_64-unknown-linux-gnu/coverage/x86_64-unknown-linux-gnu/release/$target")
done
"$bin/llvm-profdata" merge -sparse "${profiles[@]}" \
  -o coverage/merged.profdata
src=$(cd .. && pwd)/src
"$bin/llvm-cov" report "${objects[@]:1}" -instr-profile coverage/merged.profdata "$src"
if [ "${1:-}" = --show ]; then
  "$bin/llvm-cov" show "${objects[@]:1}" -instr-profile coverage/merged.profdata \
    -show-line-counts-or-regions -format=text "$src" | grep -E '^/|^ +[0-9]+\| +0\|' || true
fi
