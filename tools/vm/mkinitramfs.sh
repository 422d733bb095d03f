#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# mkinitramfs.sh OUT.cpio.gz [FILE=DEST ...]
#
# Builds the test VM's initramfs: busybox-static, tools/vm/init as /init,
# the guest payloads (tools/vm/guest/*.sh -> /payload/), and every extra
# FILE copied to DEST inside the image (modules, test binaries, tools).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=$1
shift
bb=
for c in /bin/busybox /usr/bin/busybox; do
	if [ -x $c ] && ! ldd $c >/dev/null 2>&1; then bb=$c; break; fi
done
[ -n "$bb" ] || { echo "mkinitramfs: busybox-static is not installed" >&2; exit 2; }

root=$(mktemp -d)
# mktemp -d makes the directory 0700: as the image's /, that would keep
# every user but root out of every path (tests drop to nobody).
chmod 755 "$root"
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,sbin,dev,proc,sys,tmp,etc,lib/gmm,payload,root}
cp "$bb" "$root/bin/busybox"
cp "$here/init" "$root/init"
chmod 755 "$root/init"
cp "$here"/guest/*.sh "$root/payload/"
echo 'root:x:0:0:root:/root:/bin/sh' > "$root/etc/passwd"
echo 'nobody:x:65534:65534:nobody:/:/bin/sh' >> "$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"
for spec in "$@"; do
	src=${spec%%=*}
	dst=${spec#*=}
	mkdir -p "$root/$(dirname "$dst")"
	cp -L "$src" "$root/$dst"
done
(cd "$root" && find . -print0 | cpio --null -o -H newc --quiet) | gzip -1 > "$out"
