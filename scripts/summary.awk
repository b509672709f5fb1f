# scripts/summary.awk — checks a summary.csv (schema 1) and turns it into the
# tab-separated rows the plot scripts read. Load after csv.awk:
#   awk -v prog=plot.sh -v name=RUN/summary.csv -v out=ROWS -v meta=META \
#       -f scripts/csv.awk -f scripts/summary.awk RUN/summary.csv
# On bad input: one line on stderr naming the file and line, exit 2, and
# nothing useful in out (the caller writes out and meta in its own temporary
# directory, never in the run directory).
#
# out, one row per configuration, tab-separated, "?" where a cell is empty:
#   scenario placement invalidation sharing home_node mode strategy threads
#   mops_med mops_min mops_max ns_med ns_min ns_max overhead oh_lo oh_hi
#   model_refcount
# meta: "machine\t<first row's machine>" and "run_id\t<first row's run_id>".
# Optional columns: model_refcount_ns, mops_per_s_min/max, overhead_ci_lo/hi
# (absent = empty). Every other column named below is required.

BEGIN {
	nreq = split("schema run_id machine scenario strategy mode invalidation sharing placement home_node threads " \
		     "ns_per_op_median ns_per_op_min ns_per_op_max mops_per_s_median overhead_ns", REQ, " ")
	nkey = split("scenario strategy mode invalidation sharing placement", KEY, " ")
	# numbers that must be there and be > 0
	npos = split("ns_per_op_median mops_per_s_median", POS, " ")
	# numbers that may be empty
	nopt = split("ns_per_op_min ns_per_op_max mops_per_s_min mops_per_s_max overhead_ns overhead_ci_lo " \
		     "overhead_ci_hi model_refcount_ns", OPT, " ")
}

function cell(name) { return (name in col) ? f[col[name]] : "" }
function opt(name,    v) { v = cell(name); return v == "" ? "?" : v }
function where() { return name ": line " NR ": " }

{
	if (!(n = csv_record(f, col, REQ, nreq, name)))
		next
	if (cell("schema") != "1")
		csv_die(where() "schema is '" cell("schema") "', this script reads schema 1")
	for (i = 1; i <= nkey; i++)
		if (cell(KEY[i]) !~ /^[A-Za-z0-9_][A-Za-z0-9_.:+-]*$/)
			csv_die(where() "column " KEY[i] ": bad value '" cell(KEY[i]) "'")
	# the ranges of bench/runcsv.h (RUNCSV_MAX_NODE, RUNCSV_MAX_THREADS)
	if (cell("home_node") !~ /^-?[0-9]+$/ || cell("home_node") + 0 < -1 || cell("home_node") + 0 > 65535)
		csv_die(where() "column home_node: not an integer from -1 to 65535: '" cell("home_node") "'")
	if (cell("threads") !~ /^[0-9]+$/ || cell("threads") + 0 < 1 || cell("threads") + 0 > 1048576)
		csv_die(where() "column threads: not an integer from 1 to 1048576: '" cell("threads") "'")
	for (i = 1; i <= npos; i++) {
		v = cell(POS[i])
		if (!csv_num(v) || v + 0 <= 0)
			csv_die(where() "column " POS[i] ": not a positive number: '" v "'")
	}
	for (i = 1; i <= nopt; i++) {
		v = cell(OPT[i])
		if (v != "" && !csv_num(v))
			csv_die(where() "column " OPT[i] ": not a number: '" v "'")
	}
	k = cell("scenario") SUBSEP cell("strategy") SUBSEP cell("mode") SUBSEP cell("invalidation") SUBSEP \
	    cell("sharing") SUBSEP cell("placement") SUBSEP cell("home_node") SUBSEP cell("threads")
	if (k in seen)
		csv_die(where() "configuration repeated (first on line " seen[k] ")")
	seen[k] = NR
	if (!rows) {
		machine = cell("machine"); run_id = cell("run_id")
	}
	rows++
	printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
		cell("scenario"), cell("placement"), cell("invalidation"), cell("sharing"), cell("home_node") + 0,
		cell("mode"), cell("strategy"), cell("threads") + 0,
		cell("mops_per_s_median"), opt("mops_per_s_min"), opt("mops_per_s_max"),
		cell("ns_per_op_median"), opt("ns_per_op_min"), opt("ns_per_op_max"),
		opt("overhead_ns"), opt("overhead_ci_lo"), opt("overhead_ci_hi"), opt("model_refcount_ns") > out
}

END {
	if (csv_died)
		exit 2
	if (NR == 0)
		csv_die(name ": empty file")
	if (!rows)
		csv_die(name ": no data rows")
	gsub(/[\t\r\n]/, " ", machine)
	gsub(/[\t\r\n]/, " ", run_id)
	print "machine\t" machine > meta
	print "run_id\t" run_id > meta
}
