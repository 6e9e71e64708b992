#!/usr/bin/env bash
# A package a DBA installs without a Rust toolchain (README, "Install into your own
# database"): `cargo pgrx package` (release build for Debian's PostgreSQL 15) plus the
# generated update scripts, as one tarball of the files under / :
#   target/ar_analytics-VERSION-pg15-ARCH.tar.gz
#     usr/lib/postgresql/15/lib/ar_analytics.so
#     usr/share/postgresql/15/extension/ar_analytics.control, ar_analytics--VERSION.sql,
#     ar_analytics--V--VERSION.sql for every released V
# Prints the tarball's path. Needs what scripts/setup.sh installs.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
cargo pgrx package --pg-config /usr/bin/pg_config >/dev/null 2>&1 || cargo pgrx package --pg-config /usr/bin/pg_config
root=target/release/ar_analytics-pg15
extdir="$root$(/usr/bin/pg_config --sharedir)/extension"
python3 scripts/gen-update-scripts "$extdir" >/dev/null
tarball="target/ar_analytics-$version-pg15-$(dpkg --print-architecture).tar.gz"
tar -C "$root" --owner=0 --group=0 -czf "$tarball" usr
echo "$tarball"
