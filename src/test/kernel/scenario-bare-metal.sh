# A guest without the hypervisor flag, booted with encrypted_keys.user_decrypted_data=1: a region
# over both memdevs with a devdax namespace (made with ndctl's cxl and ndctl, as an operator would),
# then the agent's own code drives it.
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
# The kernel's own record of where it invalidates: ftrace on cpu_cache_invalidate_memregion() and
# the wbinvd it issues, with their callers, while the agent runs.
T=/sys/kernel/tracing
mount -t tracefs nodev $T 2>/dev/null
echo "cpu_cache_invalidate_memregion wbinvd_on_all_cpus" > $T/set_ftrace_filter
echo function > $T/current_tracer && echo 1 > $T/tracing_on
agent inventory \
  "write $R 0x1234 $CANARY_A" "write $R 0x5678 $CANARY_B" "read $R 0x1234 ${#CANARY_A}" \
  "reset $R 1" "read $R 0x1234 ${#CANARY_A}" "erase 0x1234 sanitize kernel-it-1" \
  "commit $R 2" "read $R 0x1234 ${#CANARY_A}" "read $R 0x5678 ${#CANARY_B}" \
  "keynames 0x1234" "key nvdimm:4660" invalidate > /run/out/agent.jsonl 2> /run/out/agent.err
stamp agent
echo 0 > $T/tracing_on; grep -v '^#' $T/trace > /run/out/trace.txt
ls /sys/bus/dax/devices > /run/out/dax-after.txt
