# Sourced by the scripts that count what a load costs in CPU (node-cpu.sh,
# half-load-timers.sh).
#
# ticks PID: the user and system CPU ticks a process has used (/proc/PID/stat, 100 ticks = one
# core-second).
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# sum_ticks PID...: the ticks of all the given processes together.
sum_ticks() {
  local sum=0 pid
  for pid in "$@"; do sum=$((sum + $(ticks "$pid"))); done
  echo "$sum"
}
