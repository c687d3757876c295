# A guest with the hypervisor flag (any VM), booted without encrypted_keys.user_decrypted_data:
# a one-way region over 0x1234 assembled through sysfs but not committed; the agent's commit is
# the first, and the kernel must refuse it.
. /run/out/common.sh
stamp start
master_key
M=$(memdev 0x1234); EP=$(for e in $C/endpoint*; do [ "$(basename "$(readlink -f $e/uport)")" = "$M" ] && basename $e; done)
EPD=decoder${EP#endpoint}.0
R=$(cat $C/decoder0.0/create_pmem_region)
{
  echo "$R" > $C/decoder0.0/create_pmem_region
  cat /proc/sys/kernel/random/uuid > $C/$R/uuid
  echo 256 > $C/$R/interleave_granularity
  echo 1 > $C/$R/interleave_ways
  echo 268435456 > $C/$R/size
  echo pmem > $C/$EPD/mode
  echo 268435456 > $C/$EPD/dpa_size
  echo "$EPD" > $C/$R/target0
} > /run/out/setup.txt 2>&1
echo "$R" > /run/out/region.txt
stamp setup
agent inventory "commit $R 1" "key nvdimm:1234" > /run/out/agent.jsonl 2> /run/out/agent.err
stamp agent
cat $C/$R/commit > /run/out/commit-after.txt
# Which ENXIO it was: commit_store() also answers ENXIO for a region not ready to commit; the
# invalidation refusal is the one that warns (drivers/cxl/core/region.c
# cxl_region_invalidate_memregion(): dev_WARN "Failed to synchronize CPU cache state").
dmesg > /run/out/dmesg.txt
