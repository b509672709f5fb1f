# scripts/compare.awk — reads the compare.csv that `dmabench compare` wrote
# into the rows compare-plot.sh draws. Load after csv.awk:
#   awk -v prog=compare-plot.sh -v name=FILE -v out=ROWS -f csv.awk -f compare.awk FILE
# out, tab-separated: scenario placement invalidation sharing home_node mode
# strategy threads a b b_run — a and b are the medians (ns per call), or, when
# the file has normalised figures (runs from two machines), a_norm and b_norm;
# "?" where a run has no figure; b_run: which run B is (1 .. runs-1). The
# first line of out is "norm 0" or "norm 1".

BEGIN {
	nreq = split("scenario strategy mode invalidation sharing placement home_node threads " \
		     "a_median_ns b_median_ns a_norm b_norm b_run", REQ, " ")
}
function cell(c) { return f[col[c]] }
function where() { return name ": line " NR ": " }
{
	if (!(n = csv_record(f, col, REQ, nreq, name)))
		next
	for (i = 1; i <= 6; i++)
		if (cell(REQ[i]) !~ /^[A-Za-z0-9_][A-Za-z0-9_.:+-]*$/)
			csv_die(where() "column " REQ[i] ": bad value '" cell(REQ[i]) "'")
	if (cell("threads") !~ /^[0-9]+$/ || cell("home_node") !~ /^-?[0-9]+$/ || cell("b_run") !~ /^[1-9][0-9]?$/)
		csv_die(where() "threads/home_node/b_run: not integers")
	for (i = 9; i <= 12; i++)
		if (cell(REQ[i]) != "" && !csv_num(cell(REQ[i])))
			csv_die(where() "column " REQ[i] ": not a number: '" cell(REQ[i]) "'")
	nr++
	R[nr] = cell("scenario") "\t" cell("placement") "\t" cell("invalidation") "\t" cell("sharing") "\t" \
		(cell("home_node") + 0) "\t" cell("mode") "\t" cell("strategy") "\t" (cell("threads") + 0)
	A[nr] = cell("a_median_ns"); B[nr] = cell("b_median_ns")
	AN[nr] = cell("a_norm"); BN[nr] = cell("b_norm"); BR[nr] = cell("b_run") + 0
	if (AN[nr] != "" || BN[nr] != "")
		norm = 1
}
END {
	if (csv_died)
		exit 2
	if (!nr)
		csv_die(name ": no data rows")
	print "norm " (norm + 0) > out
	for (i = 1; i <= nr; i++) {
		a = norm ? AN[i] : A[i]; b = norm ? BN[i] : B[i]
		print R[i] "\t" (a == "" ? "?" : a) "\t" (b == "" ? "?" : b) "\t" BR[i] > out
	}
}
