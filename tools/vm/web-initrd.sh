#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# web-initrd.sh GMM_DIR KVER OUT.cpio.gz - the initramfs of make check's
# live web test (tools/vm/check-web.sh, guest/web.sh): gmm.ko from
# GMM_DIR, the e1000 driver of Debian's kernel KVER, the page's files,
# examples/tricolour.gmm, and gmmctl built for the host without cairo
# but with libmicrohttpd (which cannot be linked statically), as
# /bin/gmmctl-web with every library ldd names at its own path and the
# dynamic loader.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

gmm=${1:?usage: web-initrd.sh GMM_DIR KVER OUT}
kver=${2:?usage: web-initrd.sh GMM_DIR KVER OUT}
img=${3:?usage: web-initrd.sh GMM_DIR KVER OUT}
src=$build/src-tools-web
mkdir -p "$src"
rsync -a --delete --exclude '*.o' --exclude '*.a' --exclude '*.so*' \
	--exclude /tools/gmmctl/gmmctl --exclude /tools/gmmctl/gmmctl-static \
	"$top/tools" "$top/include" "$src/"
make -C "$src/tools/lib/gmm" all
make -C "$src/tools/gmmctl" "$src/tools/gmmctl/gmmctl" CAIRO_LIBS= CAIRO_CFLAGS=
bin=$src/tools/gmmctl/gmmctl
ldd "$bin" | grep libmicrohttpd > /dev/null || { echo "web-initrd: $bin has no libmicrohttpd" >&2; exit 1; }
e1000=$(find "/lib/modules/$kver/kernel/drivers/net/ethernet/intel/e1000" -name 'e1000.ko*' | head -n 1)
[ -n "$e1000" ] || { echo "web-initrd: no e1000.ko for $kver" >&2; exit 1; }
case "$e1000" in
*.ko) ;;
*.ko.xz) xz -dc "$e1000" > "$src/e1000.ko"; e1000=$src/e1000.ko ;;
*.ko.zst) zstd -dc "$e1000" > "$src/e1000.ko"; e1000=$src/e1000.ko ;;
*) echo "web-initrd: cannot unpack $e1000" >&2; exit 1 ;;
esac
files=("$gmm/gmm.ko=lib/gmm/gmm.ko" "$e1000=lib/net/e1000.ko"
       "$bin=bin/gmmctl-web"
       "$top/tools/gmmctl/examples/tricolour.gmm=share/gmmctl/examples/tricolour.gmm")
for f in "$top"/tools/gmmctl/serve/www/*; do
	files+=("$f=share/gmmctl/www/${f##*/}")
done
# The loader and the libraries, each where the binary looks for it.
while read -r lib; do
	files+=("$lib=${lib#/}")
done < <(ldd "$bin" | grep -o '/[^ ]*' | sort -u)
"$top/tools/vm/mkinitramfs.sh" "$img" "${files[@]}"
echo "web-initrd: $img"
