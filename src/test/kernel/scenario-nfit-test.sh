# A guest without the hypervisor flag, booted with encrypted_keys.user_decrypted_data=1 and the
# kernel's own NVDIMM test modules (nfit_test, built with CONFIG_NVDIMM_SECURITY_TEST): its Intel
# DSM emulation keeps each DIMM's passphrase, lock, freeze and overwrite state. Passphrases are set
# as an operator would (ndctl setup-passphrase: the host's own sealed key) and through the kernel's
# own interface with a known one; the DIMMs are locked through nfit_test's lock_dimm hook (as
# ndctl's test/security.sh does), and the agent's own code unlocks, overwrites and erases them.
. /run/out/common.sh
stamp start
hostname lethe-nfit
master_key
# ndctl keeps its blobs in /etc/ndctl/keys; the host's root is read-only in the guest
mount -t tmpfs tmpfs /etc/ndctl/keys
N=/sys/bus/nd/devices
nmem() { for d in $N/nmem*; do [ "$(cat $d/nfit/serial)" = "$1" ] && basename $d; done; }
test_dimm() {  # nfit_test's own device for a DIMM, found by its NFIT handle
  for t in /sys/devices/platform/nfit_test.0/nfit_test_dimm/test_dimm*; do
    [ "$(printf '%d' "$(cat $t/handle)")" = "$(printf '%d' "$(cat $N/$1/nfit/handle)")" ] && echo $t
  done
}
A=$(nmem 0xffffffff); B=$(nmem 0xfeffffff); IDA=$(cat $N/$A/nfit/id); IDB=$(cat $N/$B/nfit/id)
echo "$A $IDA $B $IDB" > /run/out/dimms.txt
agent_start --host-key-serials=0xffffffff
ask inventory
# The kernel's own refusal while the DIMM's regions are enabled (Debian 6.12.118 drivers/nvdimm/security.c
# nvdimm_security_store(): -EBUSY before any key is looked up); busybox's sh names the errno.
busybox sh -c "echo overwrite 0 > $N/$A/security" > /run/out/raw-busy.txt 2>&1
echo "exit $?" >> /run/out/raw-busy.txt
ask "erase 0xffffffff overwrite kit-busy"
ndctl disable-region -b nfit_test.0 all > /run/out/setup.txt 2>&1
# A: the host's own key, made and sealed by ndctl, its blob kept under /etc/ndctl/keys
ndctl setup-passphrase "$A" -k user:nvdimm-master >> /run/out/setup.txt 2>&1
# B: a passphrase Lethe is given, set through the kernel's own interface ("update OLD NEW": key 0 is
# the zero key) with a key holding it as the agent loads it (padded with zeros to 32 bytes)
PASS=kernel-it-pass
enc32_key() {  # NAME PASSPHRASE: an encrypted key holding the passphrase padded with zeros to 32 bytes
  local hex
  hex=$(printf '%s' "$2" | od -An -tx1 | tr -d ' \n'); while [ ${#hex} -lt 64 ]; do hex=${hex}00; done
  printf 'new enc32 user:nvdimm-master 32 %s' "$hex" | keyctl padd encrypted "$1" @u
}
K=$(enc32_key lethe-kit-b "$PASS")
busybox sh -c "echo update 0 $K > $N/$B/security" >> /run/out/setup.txt 2>&1
keyctl unlink "$K" @u > /dev/null
ls /etc/ndctl/keys > /run/out/blobs.txt
cat $N/$A/security $N/$B/security > /run/out/security-set.txt
# A power cycle as nfit_test offers one: the DIMMs without their driver, then locked
ndctl disable-dimm "$A" "$B" >> /run/out/setup.txt 2>&1
echo 1 > "$(test_dimm $A)/lock_dimm"; echo 1 > "$(test_dimm $B)/lock_dimm"
stamp setup
ask "device 0xffffffff"
# ndctl's own key for A is still in the keyring: the agent does not unlock over a key it did not add
ask "unlock 0xffffffff --host-key"
keyctl unlink "$(keyctl search @u encrypted "nvdimm:$IDA")" @u > /dev/null
ask "unlock 0xfeffffff not-the-passphrase"
ask "device 0xfeffffff"
ask "unlock 0xffffffff --host-key"
ask "unlock 0xfeffffff $PASS"
# overwrite: a wrong passphrase answered (EINVAL) and counted, then one that runs until it is done
ask "erase 0xfeffffff overwrite kit-ow-wrong not-the-passphrase"
ask "erase 0xfeffffff overwrite kit-ow $PASS"
ask "await kit-ow 60"
ask "erase 0xfeffffff passphrase-erase kit-erase-wrong not-the-passphrase"
ask "erase 0xfeffffff passphrase-erase kit-erase $PASS"
ask "device 0xfeffffff"
# The master passphrase: nfit_test enables one for each DIMM as it loads, all zeros (Debian 6.12.118
# tools/testing/nvdimm/test/nfit.c nfit_security_init()); it is changed through the kernel's own
# interface ("master_update OLD NEW", key 0 the zero key), and B gets a user passphrase again, so
# that the agent's master erase has one to clear
MASTER=kernel-it-master
K=$(enc32_key lethe-kit-master "$MASTER")
busybox sh -c "echo master_update 0 $K > $N/$B/security" >> /run/out/setup.txt 2>&1
echo "master_update exit $?" >> /run/out/master-set.txt
keyctl unlink "$K" @u > /dev/null
K=$(enc32_key lethe-kit-b2 "$PASS")
busybox sh -c "echo update 0 $K > $N/$B/security" >> /run/out/setup.txt 2>&1
echo "update exit $?" >> /run/out/master-set.txt
keyctl unlink "$K" @u > /dev/null
ask "device 0xfeffffff"
ask "erase 0xfeffffff passphrase-erase kit-m1-wrong not-the-master --master"
ask "device 0xfeffffff"
ask "erase 0xfeffffff passphrase-erase kit-m2 $MASTER --master"
ask "device 0xfeffffff"
# again, on a DIMM that has no user passphrase any more: the master passphrase outlives its erase
ask "erase 0xfeffffff passphrase-erase kit-m3 $MASTER --master"
# freeze A (ndctl freeze-security): the kernel refuses its security commands with EIO
ndctl freeze-security "$A" >> /run/out/setup.txt 2>&1
ask "device 0xffffffff"
busybox sh -c "echo erase 0 > $N/$A/security" > /run/out/raw-frozen.txt 2>&1
echo "exit $?" >> /run/out/raw-frozen.txt
ask "erase 0xffffffff passphrase-erase kit-frozen not-the-passphrase"
ask "unlock 0xffffffff --host-key"
# the region back: after the erase the kernel invalidates CPU caches as it enables it
T=/sys/kernel/tracing
mount -t tracefs nodev $T 2>/dev/null
echo "cpu_cache_invalidate_memregion wbinvd_on_all_cpus" > $T/set_ftrace_filter
echo function > $T/current_tracer && echo 1 > $T/tracing_on
ask "commit nd-region0 2"
echo 0 > $T/tracing_on; grep -v '^#' $T/trace > /run/out/trace.txt
agent_stop
stamp agent
dmesg | grep -iE "nvdimm|nfit|security|cache" | tail -40 > /run/out/dmesg.txt
