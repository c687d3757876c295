# Sourced by the scenarios inside the guest (chroot into the host's root); env.sh is written by KernelIT.
. /run/out/env.sh
C=/sys/bus/cxl/devices
agent() {
  "$JAVA" -XX:TieredStopAtLevel=1 -XX:-UsePerfData -Xshare:auto -Xmx256m -Djava.io.tmpdir=/run/tmp \
    -Djna.tmpdir=/run/tmp -cp "$CP" io.lethe.agent.AgentCommands --root=/ --state-dir=/run/tmp/agent-state "$@"
}
# memX numbering changes between boots: find the memdev by serial
memdev() { for m in $C/mem*; do [ "$(cat $m/serial)" = "$1" ] && basename $m; done; }
master_key() { keyctl add user nvdimm-master "$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" @u > /dev/null; }
stamp() { echo "$1 $(cut -d' ' -f1 /proc/uptime)" >> /run/out/times.txt; }
