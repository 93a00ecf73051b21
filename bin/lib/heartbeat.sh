# Runs a command, printing a line every 15 s while it runs, so that no step of
# an install or a test run is silent for long. Sourced by bin/ scripts.
#   heartbeat "Installing chromium" apt-get install -y chromium
heartbeat() {
  local label=$1
  shift
  echo "$label ..."
  "$@" &
  local pid=$! started=$SECONDS
  while kill -0 "$pid" 2>/dev/null; do
    for _ in $(seq 15); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 1
    done
    kill -0 "$pid" 2>/dev/null && echo "  ... $label: $((SECONDS - started)) s so far"
  done
  wait "$pid"
}
