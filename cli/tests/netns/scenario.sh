#!/usr/bin/env bash
# One provisioning-path scenario on a real network, for cli/tests/provisioning_path.rs: two
# network namespaces joined by a veth pair. In "sca" (192.0.2.1/24) dnsmasq serves DHCP and DNS
# and `amt-hello listen` runs on 9971; in "device" udhcpc takes a lease and `amt-hello device
# --discover` looks for ProvisionServer through dnsmasq and sends its Hellos to what it finds.
# tcpdump on the SCA's side records everything into OUT/path.pcap. Needs root, ip, dnsmasq,
# udhcpc and tcpdump; nothing leaves the namespaces, and every process is bounded in time.
#
#   scenario.sh AMT_HELLO SCENARIO OUT     SCENARIO: good | no-option-15 | no-record | nothing-listens
set -euo pipefail
amt_hello=$1 scenario=$2 out=$3
mkdir -p "$out"
id=$$
sca=amth-sca-$id dev=amth-dev-$id
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  ip netns del "$sca" 2>/dev/null || true
  ip netns del "$dev" 2>/dev/null || true
}
trap cleanup EXIT

ip netns add "$sca"
ip netns add "$dev"
ip link add veth-sca netns "$sca" type veth peer name veth-dev netns "$dev"
ip -n "$sca" addr add 192.0.2.1/24 dev veth-sca
ip -n "$sca" link set veth-sca up
ip -n "$sca" link set lo up
ip -n "$dev" link set veth-dev address 02:00:00:00:00:64
ip -n "$dev" link set veth-dev up
ip -n "$dev" link set lo up

ip netns exec "$sca" timeout 60 tcpdump -i veth-sca -U -s 0 -w "$out/path.pcap" \
  'port 53 or port 67 or port 68 or tcp port 9971 or tcp port 16992 or tcp port 16993' \
  2> "$out/tcpdump.txt" &
pids+=($!)

# dnsmasq: DHCP for the device, DNS for example.test (answered here, never forwarded).
dns=(--no-resolv --no-hosts --local=/example.test/ --local=/#/)
case $scenario in
  good | nothing-listens) dns+=(--domain=example.test --host-record=ProvisionServer.example.test,192.0.2.1) ;;
  no-option-15) dns+=(--host-record=ProvisionServer.example.test,192.0.2.1) ;;
  no-record) dns+=(--domain=example.test) ;;
  *) echo "unknown scenario $scenario" >&2; exit 2 ;;
esac
ip netns exec "$sca" timeout 60 dnsmasq --keep-in-foreground --port=53 --interface=veth-sca \
  --bind-interfaces --dhcp-range=192.0.2.100,192.0.2.150,255.255.255.0,1h \
  --dhcp-leasefile="$out/leases" --pid-file="$out/dnsmasq.pid" --log-facility="$out/dnsmasq.txt" \
  "${dns[@]}" &
pids+=($!)

if [ "$scenario" != nothing-listens ]; then
  ip netns exec "$sca" timeout 60 "$amt_hello" listen --listen 192.0.2.1:9971 \
    > "$out/listen.jsonl" 2> "$out/listen.txt" &
  pids+=($!)
fi
for _ in $(seq 50); do
  ip netns exec "$sca" ss -ltn 2>/dev/null | grep -q ':53 ' && break
  sleep 0.1
done
sleep 0.5 # tcpdump is listening by now

# The device: a lease (its script writes what DHCP gave), then discovery and two Hellos.
cat > "$out/udhcpc.sh" <<'SCRIPT'
#!/bin/sh
case $1 in
  bound | renew)
    ip addr add "$ip/${mask:-24}" dev "$interface"
    echo "${domain:-}" > "$LEASE_DOMAIN"
    ;;
esac
SCRIPT
chmod +x "$out/udhcpc.sh"
LEASE_DOMAIN=$out/domain ip netns exec "$dev" timeout 20 udhcpc -i veth-dev -n -q -f \
  -s "$out/udhcpc.sh" > "$out/udhcpc.txt" 2>&1
domain=$(cat "$out/domain")
ip netns exec "$dev" timeout 30 "$amt_hello" device --discover --dhcp-suffix "$domain" \
  --dns 192.0.2.1 --pki-hashes 23 --max-attempts 1 \
  > "$out/device.txt" 2>&1 || true
sleep 1 # the last packets reach tcpdump
