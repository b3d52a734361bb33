#!/bin/sh
# Install a released pactum binary: download the archive for this machine, check it against
# the release's SHA-256 checksum, and put `pactum` in a folder. Nothing is installed unless the
# checksum matches.
#
#   sh install.sh 0.1.0                      # into ~/.local/bin
#   PACTUM_INSTALL_DIR=/usr/local/bin sh install.sh 0.1.0
#
# Settings (environment):
#   PACTUM_INSTALL_DIR    where to put the binary (default: $HOME/.local/bin)
#   PACTUM_DOWNLOAD_URL   where releases are published; the archive is read from
#                         $PACTUM_DOWNLOAD_URL/v$VERSION/pactum-$TARGET.tar.xz
#                         (default: the project's GitHub releases)
#   PACTUM_TARGET         the platform's Rust target, when detection does not fit
#
# Needs: curl or wget, tar with xz, and sha256sum or shasum. Exits non-zero, with a message,
# on any failure.
set -eu

REPOSITORY_RELEASES="https://github.com/pactum-dev/pactum/releases/download"

say() { printf 'pactum install: %s\n' "$*" >&2; }
fail() { say "$*"; exit 1; }

version="${1:-${PACTUM_VERSION:-}}"
[ -n "$version" ] || fail "name the version to install: sh install.sh 0.1.0"
version="${version#v}"
case "$version" in
  *[!0-9A-Za-z.+-]*) fail "\`$version\` is not a version" ;;
esac

install_dir="${PACTUM_INSTALL_DIR:-$HOME/.local/bin}"
base="${PACTUM_DOWNLOAD_URL:-$REPOSITORY_RELEASES}"
base="${base%/}"

detect_target() {
  os="$(uname -s)"
  arch="$(uname -m)"
  case "$arch" in
    x86_64 | amd64) arch=x86_64 ;;
    aarch64 | arm64) arch=aarch64 ;;
    *) fail "no release for the processor $arch: build from source with cargo install --git" ;;
  esac
  case "$os" in
    Linux) echo "$arch-unknown-linux-musl" ;;
    Darwin) echo "$arch-apple-darwin" ;;
    MINGW* | MSYS* | CYGWIN* | Windows_NT)
      [ "$arch" = x86_64 ] || fail "no release for Windows on $arch"
      echo "x86_64-pc-windows-msvc" ;;
    *) fail "no release for $os: build from source with cargo install --git" ;;
  esac
}

target="${PACTUM_TARGET:-$(detect_target)}"
case "$target" in
  *windows*) archive="pactum-$target.zip"; binary="pactum.exe" ;;
  *) archive="pactum-$target.tar.xz"; binary="pactum" ;;
esac
url="$base/v$version/$archive"

fetch() {
  if command -v curl >/dev/null 2>&1; then
    curl --fail --silent --show-error --location --proto '=https,http' --retry 3 --output "$2" "$1"
  elif command -v wget >/dev/null 2>&1; then
    wget --quiet --output-document "$2" "$1"
  else
    fail "needs curl or wget to download"
  fi
}

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d ' ' -f 1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d ' ' -f 1
  else
    fail "needs sha256sum or shasum to check the download"
  fi
}

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT INT TERM

say "downloading $url"
fetch "$url" "$scratch/$archive" || fail "could not download $url"
fetch "$url.sha256" "$scratch/$archive.sha256" || fail "could not download the checksum $url.sha256"

expected="$(cut -d ' ' -f 1 < "$scratch/$archive.sha256" | tr -d '\r\n' | tr 'A-F' 'a-f')"
actual="$(sha256 "$scratch/$archive")"
case "$expected" in
  *[!0-9a-f]* | "") fail "the checksum file $url.sha256 holds no SHA-256" ;;
esac
[ "${#expected}" -eq 64 ] || fail "the checksum file $url.sha256 holds no SHA-256"
[ "$expected" = "$actual" ] || fail "checksum mismatch for $archive: expected $expected, got $actual; nothing was installed"

mkdir -p "$scratch/unpacked"
case "$archive" in
  *.zip) (cd "$scratch/unpacked" && unzip -q "../$archive") || fail "could not unpack $archive" ;;
  *) tar -xJf "$scratch/$archive" -C "$scratch/unpacked" || fail "could not unpack $archive" ;;
esac
found="$(find "$scratch/unpacked" -type f -name "$binary" | head -n 1)"
[ -n "$found" ] || fail "$archive holds no $binary"

mkdir -p "$install_dir"
# Copy beside the destination, then rename: a running pactum is never half overwritten.
cp "$found" "$install_dir/.$binary.new"
chmod 755 "$install_dir/.$binary.new"
mv -f "$install_dir/.$binary.new" "$install_dir/$binary"
say "installed pactum $version ($target) to $install_dir/$binary"
