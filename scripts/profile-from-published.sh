#!/bin/bash
# scripts/profile-from-published.sh MATRIX 'SYNTHETIC' OUTDIR 'TITLE'
# Build a dmabench machine profile (profiles/NAME/: topology.synthetic,
# c2c.csv, SOURCE) from a published core-to-core matrix in the format of
# nviennot/core-to-core-latency (MIT; results/*.csv): lower-triangular, row
# i = Linux CPU i, cell (i, j < i) = ns of a compare-and-swap ping-pong round
# trip divided by two. Conversion: dmabench's c2c.csv stores round trips, so
# each figure is multiplied by 2 and written with op = rmw (it is a CAS
# handoff, the same operation as `dmabench c2c --op=rmw`); no store figures.
# SYNTHETIC is an hwloc synthetic description of the same shape whose PU OS
# indexes (indexes=...) are the Linux CPU numbers the matrix rows use, so the
# SMT siblings and sockets the matrix shows sit where the topology says; the
# NUMA node of each PU comes from it (hwloc-calc). The figures are other
# people's measurements on their machines: SOURCE says whose and how.
# Bad input: one line, exit 2, nothing written.
set -u
prog=profile-from-published.sh
die() { echo "$prog: $1" >&2; exit "${2:-2}"; }
[ $# -eq 4 ] || die "usage: $prog MATRIX 'SYNTHETIC' OUTDIR 'TITLE'"
matrix=$1 syn=$2 out=$3 title=$4
[ -f "$matrix" ] || die "$matrix: no such file"
command -v hwloc-calc >/dev/null || die "hwloc-calc not found (apt-get install hwloc)" 1
npu=$(hwloc-calc -i "$syn" -N pu machine:0 2>/dev/null) || die "'$syn': not an hwloc synthetic description"
rows=$(wc -l <"$matrix")
[ "$rows" -eq "$npu" ] || die "$matrix: $rows rows, the topology has $npu PUs"
tmp=$(mktemp -d) || die "mktemp failed" 1
trap 'rm -rf "$tmp"' EXIT
for ((p = 0; p < npu; p++)); do
	echo "$p $(hwloc-calc -i "$syn" --pi --po -I numa pu:$p)"
done >"$tmp/nodes" || die "hwloc-calc failed" 1
LC_ALL=C awk -F, -v nodes="$tmp/nodes" -v name="$matrix" '
BEGIN { while ((getline l < nodes) > 0) { split(l, a, " "); node[a[1]] = a[2] } }
{
	i = NR - 1
	for (j = 0; j < i; j++) {
		v = $(j + 1)
		if (v !~ /^[0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)?$/ || v + 0 <= 0) {
			printf "%s: row %d cell %d: not a positive number: \"%s\"\n", name, i, j, v > "/dev/stderr"
			bad = 1; exit 2
		}
		rt[j, i] = 2 * v
	}
	n = NR
}
END {
	if (bad) exit 2
	print "from,to,from_node,to_node,round_trip_ns,op"
	for (i = 0; i < n; i++) {
		printf "%d,%d,%d,%d,,rmw\n", i, i, node[i], node[i]
		for (j = i + 1; j < n; j++)
			printf "%d,%d,%d,%d,%.2f,rmw\n", i, j, node[i], node[j], rt[i, j]
	}
}' "$matrix" >"$tmp/c2c.csv" || exit 2
mkdir -p "$out" || die "$out: cannot create" 1
printf '%s\n' "$syn" >"$tmp/topology.synthetic"
{
	echo "$title -- published figures, not a dmabench run (nviennot/core-to-core-latency, MIT)"
	echo
	echo "Source: https://github.com/nviennot/core-to-core-latency, results/, file"
	echo "  $(basename "$matrix") (copied in /work/shared/reference/c2c-published/ with the"
	echo "  name lower-cased). Licence MIT (LICENSE-MIT there). The figures are the"
	echo "  measurements of other people on their machine, not dmabench's."
	echo "Conversion (scripts/profile-from-published.sh): their cell (i, j) is a CAS"
	echo "  ping-pong round trip / 2 between Linux CPUs i and j; c2c.csv holds 2 x that"
	echo "  as the rmw round trip of the pair (op=rmw; no store figures)."
	echo "Topology: hwloc synthetic '$syn'"
	echo "  (shape and PU numbering inferred from the matrix: SMT siblings are the"
	echo "  lowest-latency partner, sockets the two latency clusters); NUMA nodes as"
	echo "  written there (one per package: the NPS/SNC mode of that machine is not known)."
} >"$tmp/SOURCE"
for f in topology.synthetic c2c.csv SOURCE; do
	mv -f "$tmp/$f" "$out/$f" || die "cannot write $out/$f" 1
done
echo "profile: $out ($npu PUs)"
