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
# One agent for a whole scenario, so the shell can act on the kernel between its commands without
# a JVM start each time (tens of seconds under TCG): agent_start [options...], then ask "COMMAND"
# appends the answer to agent.jsonl; agent_stop ends it.
agent_start() {
  rm -f /run/tmp/agent.in /run/tmp/agent.out; mkfifo /run/tmp/agent.in /run/tmp/agent.out
  agent "$@" - < /run/tmp/agent.in > /run/tmp/agent.out 2>> /run/out/agent.err &
  exec 3> /run/tmp/agent.in 4< /run/tmp/agent.out
}
# (the agent's log lines share its standard output: they go to agent.err)
ask() {
  echo "$1" >&3
  while read -r answer <&4; do
    case $answer in
      '{'*) echo "$answer" >> /run/out/agent.jsonl; return 0 ;;
      *) echo "$answer" >> /run/out/agent.err ;;
    esac
  done
  echo "the agent ended before answering '$1'" >> /run/out/agent.err; return 1
}
agent_stop() { exec 3>&-; wait; exec 4<&-; }
