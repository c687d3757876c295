# A guest without the hypervisor flag and one NFIT NVDIMM (QEMU: no security DSMs, no label space,
# so one legacy namespace over the whole region, made devdax with ndctl as an operator would).
. /run/out/common.sh
stamp start
ndctl create-namespace -f -e namespace0.0 -m devdax > /run/out/setup.txt 2>&1
SERIAL=$(cat /sys/bus/nd/devices/nmem0/nfit/serial)
echo "$SERIAL" > /run/out/serial.txt
stamp setup
agent inventory "write nd-region0 $SERIAL $CANARY_A" "erase $SERIAL overwrite kernel-it-busy" "reset nd-region0 1" \
  "erase $SERIAL overwrite kernel-it-2" "commit nd-region0 2" "read nd-region0 $SERIAL ${#CANARY_A}" \
  > /run/out/agent.jsonl 2> /run/out/agent.err
stamp agent
