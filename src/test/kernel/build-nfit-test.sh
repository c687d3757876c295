#!/bin/bash
# Builds the kernel's own NVDIMM test modules (tools/testing/nvdimm: nfit_test and the libnvdimm,
# nfit, nd_pmem, nd_btt, dax_pmem and device_dax it wraps) out of tree for Debian's kernel KVER,
# from Debian's linux-headers, linux-kbuild and linux-source packages of that same version.
#
# Usage: build-nfit-test.sh <cache-dir> <KVER, e.g. 6.12.118+deb12-amd64>
# Prints MODULES=<dir> on its last line; the modules are cached under <cache-dir>/nfit_test-<KVER>
# and built once (about 20 s on two cores after a 170 MB download).
#
# Facts this relies on (read in Debian's 6.12.118 source and .config):
# - Debian builds LIBNVDIMM, BLK_DEV_PMEM, ND_BTT, ND_PFN, ACPI_NFIT, DEV_DAX and DEV_DAX_PMEM as
#   modules (tools/testing/nvdimm/config_check.c insists) and leaves NVDIMM_SECURITY_TEST unset;
#   only libnvdimm's own files read that option (drivers/nvdimm/security.c, dimm_devs.c,
#   region_devs.c: re-read the DIMM's security state at each unlock and state read, since
#   nfit_test's lock_dimm changes it behind the kernel), so it is defined for this build alone.
# - tools/testing/nvdimm's Kbuild includes $(srctree)/drivers/...; Debian's headers are the
#   srctree and hold no drivers/, so the copied sources are named relative to the build instead.
# - Debian's -amd64 headers include their -common Makefile by absolute path under /usr/src; the
#   packages are unpacked here, not installed, so that line points at the unpacked copy.
# - Module signatures are not enforced by Debian's kernel without Secure Boot: unsigned modules
#   load (and taint the kernel).
# - Debian's .config sets DEBUG_INFO_BTF_MODULES, with which scripts/Makefile.modfinal runs pahole
#   (package dwarves) on every module; a machine without it fails the build. The test modules need
#   no BTF (the kernel loads a module without a .BTF section), so the option is cleared on the make
#   command line, which overrides include/config/auto.conf.
set -euo pipefail
CACHE=$1
KVER=$2
OUT="$CACHE/nfit_test-$KVER"
if [ -f "$OUT/complete" ]; then
  echo "MODULES=$OUT"
  exit 0
fi
ABI=${KVER%-amd64}                       # 6.12.118+deb12
UPSTREAM=${ABI%%+*}                      # 6.12.118
SERIES=$(echo "$UPSTREAM" | cut -d. -f1,2)   # 6.12
command -v "x86_64-linux-gnu-gcc-12" >/dev/null || {
  echo "gcc-12 is needed (Debian's $KVER was built with it)" >&2; exit 3; }

WORK=$(mktemp -d "$CACHE/nfit-build.XXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
# linux-source-<series> at the version whose upstream part matches the image's
SRC_VERSION=$(apt-cache madison "linux-source-$SERIES" | awk -F'|' '{gsub(/ /,"",$2); print $2}' \
  | grep "^$UPSTREAM-" | sort -V | tail -1 || true)
if [ -z "$SRC_VERSION" ]; then
  apt-get update -qq >&2
  SRC_VERSION=$(apt-cache madison "linux-source-$SERIES" | awk -F'|' '{gsub(/ /,"",$2); print $2}' \
    | grep "^$UPSTREAM-" | sort -V | tail -1 || true)
fi
[ -n "$SRC_VERSION" ] || { echo "no linux-source-$SERIES at $UPSTREAM in the apt sources (a newer kernel replaced it: remove $CACHE to fetch the current one)" >&2; exit 3; }
echo "downloading headers, kbuild and source of $KVER ($SRC_VERSION)" >&2
apt-get download "linux-headers-$KVER=$SRC_VERSION" "linux-headers-$ABI-common=$SRC_VERSION" \
  "linux-kbuild-$ABI=$SRC_VERSION" "linux-source-$SERIES=$SRC_VERSION" >&2 2>/dev/null
mkdir root
for deb in linux-headers-*.deb linux-kbuild-*.deb; do dpkg-deb -x "$deb" root; done
HEADERS="$WORK/root/usr/src/linux-headers-$KVER"
sed -i "s|^include /usr/src/|include $WORK/root/usr/src/|" "$HEADERS/Makefile"
dpkg-deb --fsys-tarfile linux-source-*.deb | tar -xO "./usr/src/linux-source-$SERIES.tar.xz" \
  | tar -xJ "linux-source-$SERIES/tools/testing/nvdimm" "linux-source-$SERIES/drivers/nvdimm" \
      "linux-source-$SERIES/drivers/acpi/nfit" "linux-source-$SERIES/drivers/dax"
rm -f ./*.deb
T="$WORK/linux-source-$SERIES/tools/testing/nvdimm"
sed -i 's|\$(srctree)/drivers|$(src)/../../../drivers|' "$T/Kbuild"
sed -i 's|\$(srctree)/drivers|$(src)/../../../../drivers|' "$T/test/Kbuild"
echo 'ccflags-y += -DCONFIG_NVDIMM_SECURITY_TEST=1' >> "$T/Kbuild"
make -C "$HEADERS" M="$T" CONFIG_DEBUG_INFO_BTF_MODULES= -j"$(nproc)" > build.log 2>&1 || { tail -40 build.log >&2; exit 4; }
rm -rf "$OUT.tmp" && mkdir -p "$OUT.tmp"
cp "$T"/*.ko "$T"/test/nfit_test.ko "$T"/test/nfit_test_iomap.ko "$OUT.tmp/"
echo "$SRC_VERSION" > "$OUT.tmp/complete"
rm -rf "$OUT" && mv "$OUT.tmp" "$OUT"
echo "MODULES=$OUT"
