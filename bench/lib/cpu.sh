# CPU used by each side of a side-by-side run, so a table can say which side saturated: the
# server's process tree read from /proc before and after, the load tool's own rusage. Source
# after common.sh.

# rcb_tree_ticks PID: utime + stime (clock ticks) of PID and every descendant (ringcastd's
# dataplane child, nginx's worker).
rcb_tree_ticks() {
    local pid=$1 total=0 child
    [ -r "/proc/$pid/stat" ] || { echo 0; return; }
    # Fields after the command name (which may hold spaces): utime is the 14th field overall.
    total=$(sed 's/.*) //' "/proc/$pid/stat" | awk '{ print $12 + $13 }')
    for child in $(cat /proc/"$pid"/task/*/children 2>/dev/null); do
        total=$((total + $(rcb_tree_ticks "$child")))
    done
    echo "$total"
}

# rcb_core_ticks CPU: "BUSY TOTAL" clock ticks of that core since boot (/proc/stat). Busy is
# everything but idle and iowait, so it holds the softirq work of the veth and the TCP stacks,
# which no process is charged for.
rcb_core_ticks() {
    awk -v c="cpu$1" '$1 == c { t = 0; for (i = 2; i <= 9; ++i) t += $i; print t - $5 - $6, t }' /proc/stat
}

# rcb_measured LOG SERVER_PID CMD...: runs the load CMD (output to LOG) and prints
# "SERVER_CPU_PCT LOADGEN_CPU_PCT SERVER_CORE_PCT LOADGEN_CORE_PCT": the first two in percent of
# one core over the run, by process; the last two how busy $RCB_SERVER_CPU and $RCB_LOADGEN_CPU
# were, whoever ran there (a core near 100 % is the side that saturated). The load tool's figure
# is the rusage of every process the subshell waited for (bash's `times`, children's line), so
# it holds whatever the wrapper chain (ip netns exec, timeout, taskset) is.
rcb_measured() {
    local log=$1 spid=$2 s0 s1 t0 t1 times_file=$1.times sc0 sc1 lc0 lc1
    shift 2
    s0=$(rcb_tree_ticks "$spid")
    sc0=$(rcb_core_ticks "$RCB_SERVER_CPU")
    lc0=$(rcb_core_ticks "$RCB_LOADGEN_CPU")
    t0=$(date +%s.%N)
    ( "$@" >"$log" 2>&1 || echo "[bench] load exited non-zero" >>"$log"; times >"$times_file" )
    t1=$(date +%s.%N)
    s1=$(rcb_tree_ticks "$spid")
    sc1=$(rcb_core_ticks "$RCB_SERVER_CPU")
    lc1=$(rcb_core_ticks "$RCB_LOADGEN_CPU")
    # `times`' second line: the children's user and system time, as "0m1.234s 0m0.567s".
    awk -v a="$t0" -v b="$t1" -v s0="$s0" -v s1="$s1" -v hz="$(getconf CLK_TCK)" \
        -v sc0="$sc0" -v sc1="$sc1" -v lc0="$lc0" -v lc1="$lc1" '
        function seconds(t) { split(t, p, /[ms]/); return p[1] * 60 + p[2] }
        function busy(before, after) {
            split(before, x, " "); split(after, y, " ")
            return y[2] > x[2] ? (y[1] - x[1]) * 100 / (y[2] - x[2]) : 0
        }
        NR == 2 { load = seconds($1) + seconds($2) }
        END {
            secs = b - a
            printf "%.0f %.0f %.0f %.0f\n", (s1 - s0) * 100 / hz / secs, load * 100 / secs,
                busy(sc0, sc1), busy(lc0, lc1)
        }' "$times_file"
}
