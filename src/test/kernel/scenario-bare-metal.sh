# A guest without the hypervisor flag, booted with encrypted_keys.user_decrypted_data=1: a region
# over both memdevs with a devdax namespace (made with ndctl's cxl and ndctl, as an operator would),
# then the agent's own code drives it: writes, reset, a real sanitize of 0x1234 (QEMU 10 emulates
# it), a passphrase command the device does not implement, commit, read-back.
. /run/out/common.sh
stamp start
master_key
M1=$(memdev 0x1234); M2=$(memdev 0x5678)
cxl create-region -m -d decoder0.0 -w 2 -g 256 "$M1" "$M2" > /run/out/setup.txt 2>&1
NR=$(ndctl list -R | grep -o '"dev":"region[0-9]*"' | head -1 | cut -d'"' -f4)
ndctl create-namespace -r "$NR" -m devdax >> /run/out/setup.txt 2>&1
R=$(basename "$(ls -d $C/region* | head -1)")
echo "$R" > /run/out/region.txt
stamp setup
# The kernel's own refusal, not the agent's precheck: a raw sanitize of a memdev whose endpoint has
# committed decoders (drivers/cxl/core/mbox.c cxl_mem_sanitize(): -EBUSY). busybox's sh names the
# errno; dash says "I/O error" for every failed write.
busybox sh -c "echo 1 > $C/$M1/security/sanitize" > /run/out/raw-sanitize.txt 2>&1
echo "exit $?" >> /run/out/raw-sanitize.txt
# The host's own key, as ndctl setup-passphrase leaves it (ndctl/keys.c dimm_create_key()): an
# encrypted key with a kernel-made payload, sealed by the master key, read out into
# nvdimm_<id>_<hostname>.blob; the agent loads it back from there.
hostname lethe-guest
mkdir -p /run/tmp/keys
K=$(keyctl add encrypted lethe-kit-sealed "new enc32 user:nvdimm-master 32" @u)
keyctl pipe "$K" > /run/tmp/keys/nvdimm_4660_lethe-guest.blob
keyctl unlink "$K" @u > /dev/null
# The kernel's own record of where it invalidates: ftrace on cpu_cache_invalidate_memregion() and
# the wbinvd it issues, with their callers, while the agent runs.
T=/sys/kernel/tracing
mount -t tracefs nodev $T 2>/dev/null
echo "cpu_cache_invalidate_memregion wbinvd_on_all_cpus" > $T/set_ftrace_filter
echo function > $T/current_tracer && echo 1 > $T/tracing_on
# --device-wait: after the sanitize no dax device comes back until the namespace is made again
agent_start --device-wait=5 --host-key-dir=/run/tmp/keys --host-key-serials=0x1234
for c in inventory \
  "write $R 0x1234 $CANARY_A" "write $R 0x5678 $CANARY_B" "read $R 0x1234 ${#CANARY_A}" \
  "erase 0x1234 sanitize kernel-it-busy" "reset $R 1" "read $R 0x1234 ${#CANARY_A}" \
  "erase 0x1234 sanitize kernel-it-1" "await kernel-it-1 120" \
  "device 0x1234" "erase 0x1234 passphrase-erase kernel-it-2 not-the-passphrase" "device 0x1234" \
  "commit $R 2" "keynames 0x1234" "key nvdimm:4660" "hostkey 0x1234" invalidate; do
  ask "$c"
done
stamp agent
echo 0 > $T/tracing_on; grep -v '^#' $T/trace > /run/out/trace.txt
ls /sys/bus/dax/devices > /run/out/dax-after.txt
# Sanitize zeroed 0x1234's label area too, so the namespace the kernel knew is gone with it: an
# operator makes a new one, as at first set-up, and the data is read through it.
# The kernel found only a raw namespace over the whole region (0x5678's labels alone): reconfigure
# it, as the NVDIMM scenario does with its label-less DIMM.
ndctl list -N -r "$NR" > /run/out/namespaces-after.txt 2>&1
NS=$(grep -o '"dev":"namespace[0-9.]*"' /run/out/namespaces-after.txt | head -1 | cut -d'"' -f4)
ndctl create-namespace -f -e "$NS" -m devdax > /run/out/namespace-again.txt 2>&1
echo "exit $?" >> /run/out/namespace-again.txt
ask "read $R 0x1234 ${#CANARY_A}"; ask "read $R 0x5678 ${#CANARY_B}"
agent_stop
stamp read
