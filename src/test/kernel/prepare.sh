#!/bin/bash
# Prepares what KernelIT boots: QEMU 10, Debian's 6.12 kernel (cached), and an initramfs with
# busybox, the CXL / NVDIMM / DAX / 9p modules of that kernel and Lethe's guest init.
#
# Usage: prepare.sh <cache-dir> [6.12|6.1|6.12-nfit-test]   prints KERNEL=<vmlinuz> and INITRD=<initrd>
# on its last lines. 6.12-nfit-test: the same 6.12 kernel, with the kernel's own NVDIMM test modules
# (build-nfit-test.sh) in place of Debian's libnvdimm, nfit, nd_pmem, nd_btt, dax_pmem and
# device_dax, and no CXL drivers (cxl_pmem needs Debian's libnvdimm).
# The kernel package (about 107 MB) is downloaded once into <cache-dir>; the initramfs is rebuilt
# whenever the init script is newer than it.
set -euo pipefail
CACHE=$1
SERIES=${2:-6.12}
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$CACHE"

# QEMU 8.2 or later: it emulates CXL sanitize (bookworm's 7.2 does not). bookworm-backports has
# 10.0, built for bookworm's libc (trixie's package is not).
qemu_major() { qemu-system-x86_64 --version 2>/dev/null | sed -n 's/.*version \([0-9]*\)\.\([0-9]*\).*/\1 \2/p' | head -1; }
qemu_new_enough() { read -r major minor <<< "$(qemu_major)"; [ -n "${major:-}" ] && { [ "$major" -gt 8 ] || { [ "$major" -eq 8 ] && [ "$minor" -ge 2 ]; }; }; }
if ! qemu_new_enough; then
  echo "installing QEMU from bookworm-backports" >&2
  if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    echo 'deb http://deb.debian.org/debian bookworm-backports main' > /etc/apt/sources.list.d/bookworm-backports.list
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends -t bookworm-backports qemu-system-x86 >&2
  qemu_new_enough || { echo "QEMU 8.2 or later is needed (CXL sanitize); have: $(qemu_major)" >&2; exit 3; }
fi

need=()
[ -x /bin/busybox ] || need+=(busybox-static)
command -v cpio >/dev/null || need+=(cpio)
command -v modinfo >/dev/null || need+=(kmod)
command -v keyctl >/dev/null || need+=(keyutils)
command -v cxl >/dev/null || need+=(ndctl)
command -v xz >/dev/null || need+=(xz-utils)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi

# Debian's current build of the series from bookworm(-security); the name changes with every upload.
case $SERIES in
  6.12|6.12-nfit-test) PATTERN='^linux-image-6\.12\..*\+deb12-amd64-unsigned$'; KDIR="$CACHE/kern" ;;
  6.1) PATTERN='^linux-image-6\.1\.0-[0-9]+-amd64-unsigned$'; KDIR="$CACHE/kern-6.1" ;;
  *) echo "series 6.12, 6.1 or 6.12-nfit-test, not $SERIES" >&2; exit 2 ;;
esac
if ! ls "$KDIR"/boot/vmlinuz-* >/dev/null 2>&1; then
  pkg=$(apt-cache search "$PATTERN" | awk '{print $1}' | sort -V | tail -1)
  if [ -z "$pkg" ]; then
    apt-get update -qq >&2
    pkg=$(apt-cache search "$PATTERN" | awk '{print $1}' | sort -V | tail -1)
  fi
  [ -n "$pkg" ] || { echo "no package matching $PATTERN in the apt sources" >&2; exit 3; }
  echo "downloading $pkg" >&2
  DL=$(mktemp -d "$CACHE/dl.XXXX")
  (cd "$DL" && apt-get download "$pkg" >&2 2>/dev/null)
  rm -rf "$KDIR.tmp" && mkdir "$KDIR.tmp"
  dpkg-deb -x "$DL"/linux-image-*.deb "$KDIR.tmp"
  rm -rf "$DL"
  rm -rf "$KDIR" && mv "$KDIR.tmp" "$KDIR"
fi
KERNEL=$(ls "$KDIR"/boot/vmlinuz-* | head -1)
KVER=$(ls "$KDIR/lib/modules" | head -1)
INITRD="$CACHE/initrd-$KVER.gz"
declare -A path_of seen
MODULES=(virtio_pci 9pnet_virtio 9p cxl_acpi cxl_port cxl_pci cxl_mem cxl_pmem libnvdimm nfit nd_pmem
         nd_btt dax_pmem device_dax dax_cxl kmem)
if [ "$SERIES" = 6.12-nfit-test ]; then
  NFIT=$(bash "$HERE/build-nfit-test.sh" "$CACHE" "$KVER" | sed -n 's/^MODULES=//p')
  [ -n "$NFIT" ] || { echo "building nfit_test failed" >&2; exit 4; }
  INITRD="$CACHE/initrd-$KVER-nfit-test.gz"
  for ko in "$NFIT"/*.ko; do n=${ko##*/}; path_of[${n%.ko}]=$ko; done
  MODULES=(virtio_pci 9pnet_virtio 9p nfit_test_iomap libnvdimm nd_btt nd_pmem nfit dax_pmem device_dax
           nfit_test)
fi

if [ ! -f "$INITRD" ] || [ "$HERE/init" -nt "$INITRD" ] || [ "$0" -nt "$INITRD" ] \
   || [ "$HERE/build-nfit-test.sh" -nt "$INITRD" ]; then
  MODDIR="$KDIR/lib/modules/$KVER"
  STAGE=$(mktemp -d "$CACHE/stage.XXXX")
  trap 'rm -rf "$STAGE"' EXIT
  mkdir -p "$STAGE"/{bin,sbin,proc,sys,dev,host,out,tmp,modules}
  cp /bin/busybox "$STAGE/bin/busybox"
  for applet in $(/bin/busybox --list); do [ "$applet" = busybox ] || ln -sf busybox "$STAGE/bin/$applet"; done
  while read -r rel; do
    n=${rel##*/}; n=${n%.ko}; n=${n//-/_}
    [ -n "${path_of[$n]:-}" ] || path_of[$n]=$MODDIR/$rel
  done < "$MODDIR/modules.order"
  : > "$STAGE/modules.load"
  # Depth first over modinfo's dependencies, so each module is loaded after what it needs.
  add() {
    local n=${1//-/_}
    [ -n "${seen[$n]:-}" ] && return 0
    seen[$n]=1
    [ -n "${path_of[$n]:-}" ] || return 0   # built into the kernel
    local f=${path_of[$n]}; [ -f "$f" ] || f="$f.xz"
    local d
    for d in $(modinfo -F depends "$f" | tr ',' ' '); do add "$d"; done
    local out="$STAGE/modules/$n.ko"
    if [[ $f == *.xz ]]; then xz -dc "$f" > "$out"; else cp "$f" "$out"; fi
    echo "modules/$n.ko" >> "$STAGE/modules.load"
  }
  for m in "${MODULES[@]}"; do add "$m"; done
  cp "$HERE/init" "$STAGE/init" && chmod +x "$STAGE/init"
  (cd "$STAGE" && find . -print0 | cpio --null -o -H newc --quiet | gzip -1) > "$INITRD.tmp"
  mv "$INITRD.tmp" "$INITRD"
fi
echo "KERNEL=$KERNEL"
echo "INITRD=$INITRD"
