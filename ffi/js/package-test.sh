#!/bin/sh
# make -C ffi package-test (after make -C ffi wasm): the npm package as a Node user gets it.
# `npm pack` here, then, in a scratch project in a temporary directory and with no Rust
# toolchain on PATH: `npm install` of the tarball, the consumer test from ESM and from
# CommonJS (consumer/), `tsc --strict` on a consumer .mts and .cts (typescript installed into
# the scratch directory), and MeshCentral's amtprovisioningserver.js, from its npm package, with
# its parseHelloData swapped for this package's in one line (consumer/meshcentral.cjs).
# Says SKIP, with the reason, for what npm cannot fetch (typescript, meshcentral).
set -eu
cd "$(dirname "$0")"
js=$(pwd)
data=$(cd ../../tests/data && pwd)
if [ ! -f amt_hello.wasm ]; then echo "package-test: amt_hello.wasm is missing: run make -C ffi wasm first"; exit 1; fi

# One version: the header's (which the crate's build holds to Cargo.toml) is package.json's.
header_version=$(sed -n 's/^#define AMT_HELLO_VERSION_[A-Z]* //p' ../include/amt_hello.h | paste -sd.)
package_version=$(node -p "require('./package.json').version")
if [ "$header_version" != "$package_version" ]; then
    echo "package-test: package.json says $package_version, Cargo.toml $header_version"; exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
npm pack --silent --pack-destination "$work" > /dev/null
tarball=$work/amt-hello-$package_version.tgz
echo "package-test: $(basename "$tarball"): $(tar -tzf "$tarball" | sed 's|^package/||' | sort | tr '\n' ' ')"
tar -tzf "$tarball" | grep -qx package/amt_hello.wasm

# No Rust from here on: PATH without the directories that hold cargo or rustc.
path=
old_ifs=$IFS; IFS=:
for dir in $PATH; do
    if [ ! -x "$dir/cargo" ] && [ ! -x "$dir/rustc" ]; then path=${path:+$path:}$dir; fi
done
IFS=$old_ifs
PATH=$path
export PATH
if command -v cargo > /dev/null || ! command -v npm > /dev/null; then
    echo "package-test: cannot make a PATH with npm and without cargo"; exit 1
fi

app=$work/app
mkdir "$app"
cp consumer/* "$app/"
cd "$app"
printf '{ "name": "consumer", "private": true }\n' > package.json
npm install --silent --no-audit --no-fund "$tarball"
node esm.mjs "$data"
node cjs.cjs "$data"

# tsc --strict, from typescript installed into the scratch project (not a dependency of ours).
if npm install --silent --no-audit --no-fund --no-save typescript > "$work/npm-typescript.txt" 2>&1; then
    ./node_modules/.bin/tsc -p tsconfig.json
    echo "package-test: tsc $(./node_modules/.bin/tsc --version | cut -d' ' -f2) --strict: types.mts (ESM) and types.cts (CommonJS) check"
else
    echo "SKIP: tsc --strict (npm could not install typescript: $(tail -1 "$work/npm-typescript.txt"))"
fi

# MeshCentral's server with the one-line swap.
mkdir "$work/meshcentral"
if (cd "$work/meshcentral" && npm pack meshcentral --silent > pack.txt 2> "$work/npm-meshcentral.txt" \
        && tar -xzf "$(tail -1 pack.txt)" package/amtprovisioningserver.js); then
    node meshcentral.cjs "$work/meshcentral/package/amtprovisioningserver.js" "$data"
else
    echo "SKIP: the MeshCentral drop-in (npm could not fetch meshcentral: $(tail -1 "$work/npm-meshcentral.txt"))"
fi
