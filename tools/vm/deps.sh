#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# deps.sh - make sure the Debian packages gmm's builds and VM tests need are
# installed.  As root, installs what is missing with apt-get; otherwise
# prints the apt-get command to run and fails.
#
# Usage: deps.sh [check|demo|bench|lint|docs]   (default: check)
set -euo pipefail

what=${1:-check}
pkgs=(make gcc libc6-dev python3 xz-utils cpio kmod flex bison bc libelf-dev
      libssl-dev busybox-static qemu-system-x86 linux-source-6.1
      linux-image-amd64 linux-headers-amd64 libcairo2-dev pkg-config rsync
      libmicrohttpd-dev)
case "$what" in
check)	pkgs+=(sparse perl dkms shellcheck python3-docutils python3-sphinx groff-base)
	# gmmctl serve's page, tested in a real browser
	pkgs+=(chromium chromium-driver python3-selenium) ;;
lint)	pkgs+=(sparse perl shellcheck python3-docutils groff-base) ;;
docs)	pkgs+=(perl python3-sphinx) ;;
bench)	pkgs+=(golang-1.19-go) ;;
esac

# Debian's 6.12 headers come in versioned packages only: any one will do.
want612=0
[ "$what" = check ] && want612=1
pkgs612() {
	dpkg-query -W -f='${Status} ${Package}\n' 'linux-headers-6.12*' 2>/dev/null |
		grep -E '^install ok installed linux-headers-6\.12\.[0-9]+\+deb12-amd64$'
}

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
		grep -q '^install ok installed' || missing+=("$p")
done
if [ $want612 = 1 ] && ! pkgs612 >/dev/null; then
	missing+=(linux-headers-6.12)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "deps: missing packages: ${missing[*]}" >&2
	echo "deps: as root run: apt-get update && apt-get install -y ${missing[*]/linux-headers-6.12/linux-headers-6.12.<N>+deb12-amd64}" >&2
	exit 2
fi

export DEBIAN_FRONTEND=noninteractive
echo "deps: installing ${missing[*]}" >&2
apt-get update -q >&2
names=()
for p in "${missing[@]}"; do
	if [ "$p" = linux-headers-6.12 ]; then
		p=$(apt-cache pkgnames linux-headers-6.12 |
		    grep -E '^linux-headers-6\.12\.[0-9]+\+deb12-amd64$' |
		    sort -V | tail -n 1)
		[ -n "$p" ] || { echo "deps: no linux-headers-6.12.*-amd64 package" >&2; exit 2; }
	fi
	names+=("$p")
done
apt-get install -y -q "${names[@]}" >&2
