# Sourced by the A/B scripts (build-ab.sh, node-env-ab.sh).
#
# wait_for_nodes URL...: returns once every node answers GET /v1/status, polling each second
# for at most 120 s; fails naming the URLs otherwise. Answering is not yet linked to its
# peers, so callers still give the network a moment before loading it.
wait_for_nodes() {
  for _ in $(seq 1 120); do
    local up=0
    for url in "$@"; do curl -sf "$url/v1/status" > /dev/null && up=$((up + 1)); done
    [ "$up" = "$#" ] && return 0
    sleep 1
  done
  echo "not every node answered GET /v1/status within 120 s: $*" >&2
  return 1
}
