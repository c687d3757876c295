# Debian 12's 6.1 without the hypervisor flag: no cpu_cache_invalidate_memregion() in this kernel
# (include/linux/memregion.h, 6.1.192), so the agent must report the host unable to invalidate.
# Whether 6.1's CXL driver assembles a region over QEMU's memdevs is recorded, not required.
. /run/out/common.sh
stamp start
uname -r > /run/out/uname.txt
grep -c ' cpu_cache_invalidate_memregion$' /proc/kallsyms > /run/out/kallsyms.txt
M1=$(memdev 0x1234); M2=$(memdev 0x5678)
cxl create-region -m -d decoder0.0 -w 2 -g 256 "$M1" "$M2" > /run/out/setup.txt 2>&1
echo "exit $?" >> /run/out/setup.txt
ls $C > /run/out/cxl-devices.txt
stamp setup
agent inventory > /run/out/agent.jsonl 2> /run/out/agent.err
stamp agent
