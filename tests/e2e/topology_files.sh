#!/usr/bin/env bash
# Topologies the suite reads from the environment (HWLOC_XMLFILE,
# HWLOC_SYNTHETIC, TOPO_ALLOWED): a missing, empty, truncated, non-XML,
# binary or 100 MB file, a directory, a bad description: exit 2 with one
# line naming the variable, never a crash, never this machine's topology
# quietly instead. A good XML with CRLF line ends still loads.
. "$(dirname "$0")/lib.sh"

D=$DMABENCH
unset HWLOC_SYNTHETIC HWLOC_XMLFILE HWLOC_FSROOT TOPO_ALLOWED

# xml_error NAME FILE: dmabench --dry-run on it exits 2, one line naming HWLOC_XMLFILE and FILE
xml_error() {
	local name=$1 file=$2
	expect_usage_error "$name" "HWLOC_XMLFILE='$file'" env HWLOC_XMLFILE="$file" "$D" --dry-run
}

xml_error xml-missing "$TMP/nope.xml"
: >"$TMP/empty.xml"
xml_error xml-empty "$TMP/empty.xml"
echo 'this is not XML' >"$TMP/text.xml"
xml_error xml-not-xml "$TMP/text.xml"
head -c 1048576 /dev/urandom >"$TMP/binary.xml"
xml_error xml-binary "$TMP/binary.xml"
printf '\xff\xfe<\x00t\x00o\x00p\x00' >"$TMP/utf16.xml"
xml_error xml-not-utf8 "$TMP/utf16.xml"
mkdir "$TMP/dir.xml"
xml_error xml-directory "$TMP/dir.xml"
# 100 MB: refused by its size, before hwloc would hold ~2 GB of it in memory
truncate -s 100M "$TMP/huge.xml"
xml_error xml-100mb "$TMP/huge.xml"
grep -q 'larger than 32 MiB' "$TMP/err" && pass xml-100mb-says-size || fail xml-100mb-says-size "$(cat "$TMP/err")"

if command -v lstopo-no-graphics >/dev/null 2>&1; then
	HWLOC_SYNTHETIC="pack:2 numa:2 core:4 pu:2" lstopo-no-graphics --of xml "$TMP/good.xml" 2>/dev/null
	# a real topology, then a 100 MB file that starts like it
	expect_exit xml-good 0 env HWLOC_XMLFILE="$TMP/good.xml" "$D" --dry-run
	grep -q '^topology: 32 allowed PUs, 4 NUMA node' "$TMP/out" && pass xml-good-is-used ||
		fail xml-good-is-used "$(head -1 "$TMP/out")"
	{ cat "$TMP/good.xml"; head -c 104857600 /dev/zero | tr '\0' ' '; } >"$TMP/huge2.xml"
	xml_error xml-100mb-valid-start "$TMP/huge2.xml"
	for frac in 1 2 3; do	# cut at a quarter, a half, three quarters: mid-element
		head -c $(($(wc -c <"$TMP/good.xml") * frac / 4)) "$TMP/good.xml" >"$TMP/cut$frac.xml"
		xml_error "xml-truncated-$frac-of-4" "$TMP/cut$frac.xml"
	done
	sed 's/$/\r/' "$TMP/good.xml" >"$TMP/crlf.xml"
	expect_exit xml-crlf 0 env HWLOC_XMLFILE="$TMP/crlf.xml" "$D" --dry-run
	grep -q '^topology: 32 allowed PUs, 4 NUMA node' "$TMP/out" && pass xml-crlf-is-used ||
		fail xml-crlf-is-used "$(head -1 "$TMP/out")"
	# two PUs with one OS index (hand-edited): refused, not planned as oversubscription
	awk '/type="PU"/ && !done && /os_index="1"/ { sub(/os_index="1"/, "os_index=\"0\""); done = 1 } { print }' \
		"$TMP/good.xml" >"$TMP/dup-pu.xml"
	xml_error xml-duplicate-pu-os-index "$TMP/dup-pu.xml"
	grep -q 'same OS index' "$TMP/err" && pass xml-duplicate-pu-says-so || fail xml-duplicate-pu-says-so "$(cat "$TMP/err")"
	# an XML topology is not this machine: only --dry-run may use it
	expect_usage_error xml-refuses-run HWLOC_XMLFILE env HWLOC_XMLFILE="$TMP/good.xml" "$D" --quick --out="$TMP/run"
	[ ! -e "$TMP/run" ] && pass xml-refused-run-writes-nothing || fail xml-refused-run-writes-nothing "a run directory was made"
fi

expect_usage_error synthetic-bad "HWLOC_SYNTHETIC='pack:0 pu:x'" env HWLOC_SYNTHETIC="pack:0 pu:x" "$D" --dry-run
# a newline in a bad value must not make a second line
expect_usage_error synthetic-control-char 'HWLOC_SYNTHETIC=' env HWLOC_SYNTHETIC="$(printf 'pack:x\nfoo')" "$D" --dry-run
expect_usage_error topo-allowed-bad "TOPO_ALLOWED='x'" env TOPO_ALLOWED=x "$D" --dry-run
expect_usage_error topo-allowed-none "TOPO_ALLOWED='4000'" env TOPO_ALLOWED=4000 "$D" --dry-run
