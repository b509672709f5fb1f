# scripts/plot-lib.sh — shell helpers shared by plot.sh and compare-plot.sh.
# Source it after setting prog (the name errors start with) and here (the
# scripts directory). Call work_dir_init NAME before drawing: it makes $work,
# a private temporary directory outside any run directory, and the traps that
# remove it and every temporary name listed in in_run.

# colours and point types by a strategy's position; no strategy names here
PALETTE=('#4d4d4d' '#e41a1c' '#377eb8' '#ff7f00' '#4daf4a' '#984ea3' '#a65628' '#f781bf' '#17becf' '#bcbd22' '#1f3b73' '#8c6d31')
POINTS=(7 5 9 11 13 6 4 8 10 12 1 2 3)

# die MESSAGE [STATUS]: one line on stderr, exit STATUS (default 2: bad input)
die() { echo "$prog: $1" >&2; exit "${2:-2}"; }

# work_dir_init NAME: $work and its cleanup (in_run: temporary names inside
# the destination, removed unless renamed into place)
work_dir_init() {
	work=$(mktemp -d "${TMPDIR:-/tmp}/dmabench-$1.XXXXXX") || die "cannot create a temporary directory" 1
	in_run=()
	trap work_dir_cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
}
work_dir_cleanup() {
	local p
	rm -rf "$work"
	for p in "${in_run[@]+"${in_run[@]}"}"; do rm -rf -- "$p"; done
}

# A CSV input must be a text file: not empty, not huge, no NUL, UTF-8.
check_text() {
	local f=$1 size
	size=$(stat -L -c %s -- "$f") || die "$f: cannot stat"
	[ "$size" -gt 0 ] || die "$f: empty file"
	[ "$size" -le $((64 << 20)) ] || die "$f: $size bytes, more than 64 MiB: not a file dmabench writes"
	[ "$(tr -d '\000' <"$f" | wc -c)" -eq "$size" ] || die "$f: contains NUL bytes: not a CSV file"
	if command -v iconv >/dev/null 2>&1; then
		iconv -f UTF-8 -t UTF-8 <"$f" >/dev/null 2>&1 || die "$f: not UTF-8 text"
	fi
}

# Plotting time grows with the rows (a few ms each, more than linearly past
# tens of thousands): a file with more than PLOT_MAX_ROWS data rows is
# refused with one line instead of drawing for minutes.
PLOT_MAX_ROWS=20000
check_rows() {
	local f=$1 n
	n=$(($(wc -l <"$f") - 1))
	[ "$n" -le "$PLOT_MAX_ROWS" ] ||
		die "$f: $n rows, more than $PLOT_MAX_ROWS: plotting is bounded to $PLOT_MAX_ROWS configurations (plot a smaller sweep)"
}

# check_csv FILE: the one validator of run-directory CSVs (bench/runcsv.c,
# which dmabench compare uses too), through `dmabench check-csv` ($DMABENCH,
# else build/dmabench beside scripts/). Without a binary that runs, the awk
# checks that follow apply the same rules (summary.awk).
check_csv() {
	local f=$1 bin=${DMABENCH:-$here/../build/dmabench}
	[ -x "$bin" ] && "$bin" --version >/dev/null 2>&1 || return 0
	"$bin" check-csv "$f" 2>"$work/err" && return 0
	[ $? -eq 2 ] || die "dmabench check-csv failed on $f" 1
	die "$(head -n 1 "$work/err" | sed 's/^dmabench check-csv: //')"
}

# run_awk AWKSCRIPT FILE -v VAR=VALUE... : a checker (after csv.awk); its
# one-line complaint becomes ours, with exit 2.
run_awk() {
	local script=$1 file=$2
	shift 2
	if ! LC_ALL=C awk -v prog="$prog" "$@" -f "$here/csv.awk" -f "$here/$script" "$file" 2>"$work/err"; then
		if [ -s "$work/err" ]; then head -n 1 "$work/err" >&2; exit 2; fi
		die "awk failed on $script" 1
	fi
}

# text safe for a one-line title: no control characters, valid UTF-8
clean_text() { LC_ALL=C tr -d '\000-\037\177' | iconv -c -f UTF-8 -t UTF-8 2>/dev/null; }

# load_colors NAMES_FILE: COLOR[strategy], PT[strategy] and $work/order.all.
# Order: the table of `dmabench --list` (its strategies: section; the binary
# is $DMABENCH when set, else build/dmabench beside scripts/), then the names
# in NAMES_FILE (one a line) in first-appearance order. Without a binary that
# runs, first appearance alone.
declare -A COLOR PT
load_colors() {
	local bin=${DMABENCH:-$here/../build/dmabench} s i=0
	: >"$work/order"
	if [ -x "$bin" ] && "$bin" --list >"$work/list" 2>/dev/null; then
		awk '/^strategies:/ { on = 1; next } /^[^ ]/ { on = 0 } on && NF { print $1 }' "$work/list" >"$work/order"
	fi
	cat "$work/order" "$1" | awk 'NF && !seen[$0]++' >"$work/order.all"
	while read -r s; do
		COLOR[$s]=${PALETTE[i % ${#PALETTE[@]}]}
		PT[$s]=${POINTS[i % ${#POINTS[@]}]}
		i=$((i + 1))
	done <"$work/order.all"
}

# gnuplot single-quoted string
gq() { printf "'%s'" "${1//\'/\'\'}"; }
# gp_array NAME STRINGS...: "nNAME = count" and "array NAME[count] = [...]"
gp_array() {
	local name=$1 out= v
	shift
	if [ $# -eq 0 ]; then
		printf 'n%s = 0\narray %s[1]\n' "$name" "$name"
		return
	fi
	for v in "$@"; do out+="${out:+,}$(gq "$v")"; done
	printf 'n%s = %d\narray %s[%d] = [%s]\n' "$name" $# "$name" $# "$out"
}
# gp_narray NAME NUMBERS...: an array of numbers (point types)
gp_narray() {
	local name=$1 IFS=,
	shift
	if [ $# -eq 0 ]; then printf 'array %s[1] = [1]\n' "$name"; return; fi
	printf 'array %s[%d] = [%s]\n' "$name" $# "$*"
}
gp_colors() { local s; for s in "$@"; do printf '%s\n' "${COLOR[$s]}"; done; }
gp_points() { local s; for s in "$@"; do printf '%s\n' "${PT[$s]}"; done; }

# draw NAME SCRIPT PARAMFILE: gnuplot draws $work/plots/NAME.png and .svg
nplots=0
draw() {
	local name=$1 script=$2 pf=$3
	if ! gnuplot "$pf" "$here/$script" >"$work/gp.out" 2>"$work/gp.err"; then
		die "gnuplot failed drawing $name: $(grep -v '^ *$' "$work/gp.err" | tail -n 1)" 1
	fi
	[ -s "$work/plots/$name.png" ] && [ -s "$work/plots/$name.svg" ] || die "gnuplot wrote no $name.png/.svg" 1
	nplots=$((nplots + 1))
}

# install_dir SRC DEST: DEST becomes a copy of SRC's files. The copy is made
# under a temporary name beside DEST and renamed over it (the old DEST moved
# aside first and removed after), so a reader sees the old set or the new.
# Temporary names are recorded in in_run[] for the caller's cleanup.
install_dir() {
	local src=$1 dest=$2 parent new old=
	parent=$(dirname -- "$dest")
	new=$(mktemp -d "$parent/.$(basename -- "$dest").new.XXXXXX" 2>/dev/null) ||
		die "$parent: cannot write there" 1
	in_run+=("$new")
	chmod 755 "$new" && cp -- "$src"/* "$new"/ || die "$dest: copying the plots failed" 1
	if [ -e "$dest" ] || [ -L "$dest" ]; then
		old=$parent/.$(basename -- "$dest").old.$$
		mv -T -- "$dest" "$old" || die "$dest: cannot replace it" 1
		in_run+=("$old")
	fi
	if ! mv -T -- "$new" "$dest"; then
		[ -n "$old" ] && mv -T -- "$old" "$dest"
		die "$dest: cannot rename the new plots into place" 1
	fi
}
