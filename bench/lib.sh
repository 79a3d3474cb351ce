# Helpers for bench/run and bench/reliability (sourced; expects ROOT, OUT, SAPRO).

FIGURES_PASS=0
FIGURES_FAIL=0

now_ns() { date +%s%N; }

machine_line() {
    local cpu mem
    cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
    mem=$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)
    echo "$(nproc) cores, ${cpu:-unknown CPU}, $mem, $(uname -sr)"
}

ensure_py_fsrs() {
    if ! python3 -c 'import importlib.metadata as m, sys; sys.exit(m.version("fsrs") != "6.3.2")' 2>/dev/null; then
        echo "== installing py-fsrs 6.3.2"
        python3 -m pip install -q 'fsrs==6.3.2'
    fi
}

ensure_fsrs_rs() {
    if ! python3 -c 'import importlib.metadata as m, sys; sys.exit(m.version("fsrs-rs-python") != "0.9.3")' 2>/dev/null; then
        echo "== installing fsrs-rs-python 0.9.3"
        python3 -m pip install -q 'fsrs-rs-python==0.9.3'
    fi
}

# json_field KEY: the value of KEY in the JSON object on standard input.
json_field() { python3 -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

# make_fit_history DIR: about 100,000 drill reviews of 8,000 cards over 1,200 days, for the optimizer.
make_fit_history() {
    local dir=$1 key
    key="fit $(cat "$ROOT"/Sources/SaproCore/Progress/*.swift "$ROOT"/Sources/SaproCore/Sessions/HistorySimulator.swift | md5sum | cut -c1-12)"
    if [ -f "$dir/.bench-key" ] && [ "$(cat "$dir/.bench-key")" = "$key" ]; then return; fi
    rm -rf "$dir"
    "$SAPRO" dev simulate-history --data-dir "$dir" --cards 8000 --reviews 100000 --days 1200 --new-per-day 20 --seed 1 >/dev/null
    echo "$key" >"$dir/.bench-key"
}

# peak_figure NAME LIMIT_MB COMMAND...: the command's peak resident memory (GNU time), which must stay under LIMIT_MB.
peak_figure() {
    local name=$1 limit=$2; shift 2
    local kb verdict=FAIL
    if [ ! -x /usr/bin/time ]; then echo "$name: skipped (/usr/bin/time is not installed)"; return; fi
    kb=$(/usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1)
    if [ "$kb" -lt $((limit * 1024)) ]; then verdict=PASS; FIGURES_PASS=$((FIGURES_PASS + 1)); else FIGURES_FAIL=$((FIGURES_FAIL + 1)); fi
    local line="$name: $((kb / 1024)) MB (limit $limit MB) $verdict"
    echo "$line"
    echo "$line" >>"$OUT/figures.txt"
}

lines_label() {
    local n=$1
    if [ $((n % 1000000)) = 0 ]; then echo "$((n / 1000000))M"; elif [ $((n % 1000)) = 0 ]; then echo "$((n / 1000))k"; else echo "$n"; fi
}

# The median of the numbers on standard input.
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# median_time RUNS [--stdin FILE] COMMAND... -- OUTFILE: one warm-up run (unless WARMUP=0), then RUNS timed runs of
# the whole process (standard output to OUTFILE); prints the median in seconds. OUTFILE is removed
# before each run, outside the timing, so each run writes a new file (freeing the pages of the
# previous one is the file system's work, not the command's).
median_time() {
    local runs=$1; shift
    local input=/dev/null
    if [ "$1" = --stdin ]; then input=$2; shift 2; fi
    local cmd=()
    while [ "$1" != -- ]; do cmd+=("$1"); shift; done
    local out=$2 i start end
    [ "${WARMUP:-1}" = 1 ] && "${cmd[@]}" <"$input" >"$out" 2>>"$OUT/stderr.log"
    for ((i = 0; i < runs; i++)); do
        [ -f "$out" ] && rm -f "$out"
        start=$(now_ns)
        "${cmd[@]}" <"$input" >"$out" 2>>"$OUT/stderr.log"
        end=$(now_ns)
        echo "$(( end - start ))"
    done | awk '{ printf "%.6f\n", $1 / 1e9 }' | median
}

# median_save RUNS DIR COUNT: seconds per saved answer (fsynced), from `sapro dev append --timing`
# on a fresh copy of DIR each run (the copy is synced first so its writeback is not timed).
median_save() {
    local runs=$1 dir=$2 count=$3 work=$OUT/save-work i
    for ((i = 0; i <= runs; i++)); do
        rm -rf "$work"; cp -a "$dir" "$work"; sync
        local t
        t=$("$SAPRO" dev append --data-dir "$work" --count "$count" --tag bench --timing 2>&1 >/dev/null | awk '/^saving:/ { print $2 }')
        [ "$i" -gt 0 ] && awk -v t="$t" -v n="$count" 'BEGIN { printf "%.9f\n", t / n }'
    done | median
    rm -rf "$work"
}

# make_history DIR REVIEWS: a seeded history of 3,000 cards (ten years of a heavy user: a drill
# and a practice quiz most days); kept between runs while the generator and the store are unchanged.
make_history() {
    local dir=$1 reviews=$2 key
    key="$reviews $(cat "$ROOT"/Sources/SaproCore/Progress/*.swift "$ROOT"/Sources/SaproCore/Sessions/HistorySimulator.swift | md5sum | cut -c1-12)"
    if [ -f "$dir/.bench-key" ] && [ "$(cat "$dir/.bench-key")" = "$key" ]; then return; fi
    rm -rf "$dir"
    "$SAPRO" dev simulate-history --data-dir "$dir" --cards 3000 --reviews "$reviews" --days 3650 \
        --practice-per-day 140 --seed 1 >/dev/null
    echo "$key" >"$dir/.bench-key"
}

journal_lines() { echo $(( $(wc -l <"$1/journal.jsonl") - 1 )); }

fmt() { awk -v v="$1" 'BEGIN { if (v >= 1) printf "%.2f", v; else if (v >= 0.001) printf "%.4f", v; else printf "%.6f", v }'; }

# figure NAME OURS REF KIND TARGET [NOTE] [OK]: prints one line and counts it.
#   KIND speedup: ratio = ref / ours, must be >= TARGET;  slowdown: ratio = ours / ref, <= TARGET;
#   within: ratio = ours / ref shown, ours must be <= TARGET seconds.  OK=0 fails the figure anyway.
figure() {
    local name=$1 ours=$2 ref=$3 kind=$4 target=$5 note=${6:-} ok=${7:-1} ratio pass target_text
    case $kind in
        speedup) ratio=$(awk -v a="$ref" -v b="$ours" 'BEGIN { printf "%.1f", a / b }')
                 pass=$(awk -v r="$ratio" -v t="$target" 'BEGIN { print (r >= t) }'); target_text="at least ${target}× faster";;
        slowdown) ratio=$(awk -v a="$ours" -v b="$ref" 'BEGIN { printf "%.2f", a / b }')
                 pass=$(awk -v r="$ratio" -v t="$target" 'BEGIN { print (r <= t) }'); target_text="at most ${target}×";;
        within) ratio=$(awk -v a="$ours" -v b="$ref" 'BEGIN { printf "%.2f", a / b }')
                 pass=$(awk -v o="$ours" -v t="$target" 'BEGIN { print (o <= t) }'); target_text="ours at most ${target} s";;
    esac
    [ "$ok" = 1 ] || pass=0
    local verdict=FAIL
    if [ "$pass" = 1 ]; then verdict=PASS; FIGURES_PASS=$((FIGURES_PASS + 1)); else FIGURES_FAIL=$((FIGURES_FAIL + 1)); fi
    local line="$name: ours $(fmt "$ours") s, reference $(fmt "$ref") s, ratio $ratio (target $target_text)${note:+; $note} $verdict"
    echo "$line"
    echo "$line" >>"$OUT/figures.txt"
}

summary() {
    echo "$FIGURES_PASS passed, $FIGURES_FAIL failed (figures also in bench/out/figures.txt)"
    [ "$FIGURES_FAIL" = 0 ]
}
