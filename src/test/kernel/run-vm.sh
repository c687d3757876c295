#!/bin/bash
# Boots the kernel prepared by prepare.sh under QEMU (TCG, one vCPU) and runs <outdir>/scenario.sh
# inside the guest, with either
#   cxl:    two emulated CXL type-3 memdevs (persistent memory, serials 0x1234 and 0x5678, behind
#           one host bridge with a 4 GiB fixed memory window), or
#   nvdimm: one emulated NVDIMM (ACPI NFIT, 512 MiB, no label space: no label-size is given), or
#   none:   no emulated memory device (the kernel's own nfit_test makes its test DIMMs).
#
# Usage: run-vm.sh <kernel> <initrd> <outdir> <images-dir> <bare-metal|vm> <cxl|nvdimm|none> [kernel parameters...]
#   bare-metal: the guest CPU has no `hypervisor` flag, so the kernel believes it may invalidate
#               CPU caches (QEMU needs -cpu max,-hypervisor for CXL region commit to succeed);
#   vm:         the flag is on, as in any virtual machine.
# Facts this relies on (observed with QEMU 7.2 and 10.0 and Debian's 6.12): cxl_pci needs pci=nomsi;
# QEMU 10 emulates sanitize (persistent-memdev= replaces 7.2's memdev=);
# two TCG vCPUs crashed the guest about one boot in seven, so one;
# no_timer_check: at boot, check_timer() waits a bounded number of TSC cycles for four timer ticks
# and panics ("IO-APIC + timer doesn't work!") when they have not arrived. A TCG guest's TSC follows
# the host clock while its ticks wait for host CPU, so a guest starved by the other test classes
# failed that check (CI, 2026-12-07, Debian 6.12.118). The parameter makes timer_irq_works()
# return 1 without waiting (arch/x86/kernel/apic/io_apic.c); the tests exercise no timer routing.
set -euo pipefail
KERNEL=$1; INITRD=$2; OUT=$3; IMG=$4; CPU=$5; DEVICES=$6; shift 6
case $CPU in
  bare-metal) CPU_ARGS=(-cpu max,-hypervisor) ;;
  vm) CPU_ARGS=(-cpu max) ;;
  *) echo "bare-metal or vm, not $CPU" >&2; exit 2 ;;
esac
mkdir -p "$IMG"
case $DEVICES in
  cxl)
    for i in 1 2; do
      # fresh media and label storage each boot: the scenario creates its region and namespace
      rm -f "$IMG/cxl$i.raw" "$IMG/lsa$i.raw"
      truncate -s 256M "$IMG/cxl$i.raw"; truncate -s 256M "$IMG/lsa$i.raw"
    done
    DEV=(-machine q35,cxl=on -m 2G
      -object memory-backend-file,id=cxl-mem1,share=on,mem-path="$IMG/cxl1.raw",size=256M
      -object memory-backend-file,id=cxl-lsa1,share=on,mem-path="$IMG/lsa1.raw",size=256M
      -object memory-backend-file,id=cxl-mem2,share=on,mem-path="$IMG/cxl2.raw",size=256M
      -object memory-backend-file,id=cxl-lsa2,share=on,mem-path="$IMG/lsa2.raw",size=256M
      -device pxb-cxl,bus_nr=12,bus=pcie.0,id=cxl.1
      -device cxl-rp,port=0,bus=cxl.1,id=root_port13,chassis=0,slot=2
      -device cxl-rp,port=1,bus=cxl.1,id=root_port14,chassis=0,slot=3
      -device cxl-type3,bus=root_port13,persistent-memdev=cxl-mem1,lsa=cxl-lsa1,id=cxl-pmem0,sn=0x1234
      -device cxl-type3,bus=root_port14,persistent-memdev=cxl-mem2,lsa=cxl-lsa2,id=cxl-pmem1,sn=0x5678
      -M cxl-fmw.0.targets.0=cxl.1,cxl-fmw.0.size=4G,cxl-fmw.0.interleave-granularity=8k)
    ;;
  nvdimm)
    rm -f "$IMG/nv1.raw"; truncate -s 512M "$IMG/nv1.raw"
    DEV=(-machine pc,nvdimm=on -m 2G,slots=4,maxmem=8G
      -object memory-backend-file,id=nv1,share=on,mem-path="$IMG/nv1.raw",size=512M
      -device nvdimm,id=nvdimm1,memdev=nv1)
    ;;
  none) DEV=(-machine q35 -m 2G) ;;
  *) echo "cxl, nvdimm or none, not $DEVICES" >&2; exit 2 ;;
esac
# nice: KernelIT runs beside the other test classes, which must keep their timing; QEMU takes
# what they leave idle.
exec nice -n 10 qemu-system-x86_64 -accel tcg "${CPU_ARGS[@]}" -smp 1 -nographic -no-reboot -nodefaults -serial stdio \
  -kernel "$KERNEL" -initrd "$INITRD" \
  -append "console=ttyS0 panic=-1 loglevel=4 pci=nomsi no_timer_check $*" \
  -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
  -virtfs local,path="$OUT",mount_tag=out,security_model=none \
  "${DEV[@]}"
