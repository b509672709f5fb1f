# scripts/c2c.awk — checks a c2c.csv and writes the full PU x PU grid for the
# heatmap. Load after csv.awk:
#   awk -v prog=plot.sh -v name=RUN/c2c.csv -v out=GRID -v tics=TICS.gp \
#       -v cells=CELLS -f scripts/csv.awk -f scripts/c2c.awk RUN/c2c.csv
# c2c.csv (src/harness/c2c.h): from,to,from_node,to_node,round_trip_ns[,op]; pairs
# are unordered (from < to), the diagonal has an empty figure, sampled-out
# pairs have no row. The grid is mirrored; a cell without a figure is NaN
# (drawn blank). PUs are placed in ascending OS index order, labelled by it.
# out: "i j ns" per cell, a blank line after each i; cells: "i j ns" for the
# cells that have a figure only (their printed values). tics: gnuplot commands
# for the axis labels and "c2c_n = <PUs>", "c2c_pairs = <figures>".

function where() { return name ": line " NR ": " }
function addpu(p) { if (!(p in pu)) { pu[p] = 1; npu++; pus[npu] = p } }

{
	if (!csv_record(f, col, NEED, split("from to round_trip_ns", NEED, " "), name))
		next
	a = f[col["from"]]; b = f[col["to"]]; v = f[col["round_trip_ns"]]
	if (a !~ /^[0-9]+$/ || b !~ /^[0-9]+$/)
		csv_die(where() "from/to must be PU numbers: '" a "', '" b "'")
	if (v != "" && (!csv_num(v) || v + 0 < 0))
		csv_die(where() "round_trip_ns: not a number: '" v "'")
	op = ("op" in col) ? f[col["op"]] : "store"
	if (op != "store" && op != "rmw")
		csv_die(where() "op: not store or rmw: '" op "'")
	a += 0; b += 0
	addpu(a); addpu(b)
	# the heatmap shows the store figures; a file with rmw figures only
	# (a profile built from published CAS matrices) shows those
	if (v != "" && a != b && op == "store") {
		rt[a, b] = v; rt[b, a] = v
		pairs++
	} else if (v != "" && a != b) {
		rmw[a, b] = v; rmw[b, a] = v
		rpairs++
	}
}

END {
	if (csv_died)
		exit 2
	if (NR == 0)
		csv_die(name ": empty file")
	if (!pairs && rpairs) {
		for (k in rmw)
			rt[k] = rmw[k]
		pairs = rpairs
	}
	# insertion sort of the PU numbers (a few hundred at most)
	for (i = 2; i <= npu; i++) {
		x = pus[i]
		for (j = i - 1; j >= 1 && pus[j] > x; j--)
			pus[j + 1] = pus[j]
		pus[j + 1] = x
	}
	for (i = 1; i <= npu; i++) {
		for (j = 1; j <= npu; j++) {
			has = ((pus[i], pus[j]) in rt)
			printf "%d %d %s\n", i - 1, j - 1, has ? rt[pus[i], pus[j]] : "NaN" > out
			if (has)
				printf "%d %d %s\n", i - 1, j - 1, rt[pus[i], pus[j]] > cells
		}
		print "" > out
	}
	step = int((npu + 31) / 32)
	if (step < 1) step = 1
	t = ""
	for (i = 1; i <= npu; i += step)
		t = t (t == "" ? "" : ", ") "\"" pus[i] "\" " (i - 1)
	print "set xtics (" t ") out nomirror" > tics
	print "set ytics (" t ") out nomirror" > tics
	print "c2c_n = " npu > tics
	print "c2c_pairs = " pairs + 0 > tics
}
