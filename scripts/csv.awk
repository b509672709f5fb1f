# scripts/csv.awk — CSV helpers for the plot scripts (POSIX awk: mawk, gawk).
# Load first:  awk -f scripts/csv.awk -f scripts/<tool>.awk FILE
#
# The files dmabench writes are RFC 4180, a field quoted only when it holds
# ',', '"' or a line break. These scripts read one record per line: a quoted
# field with a line break in it is reported as malformed (dmabench never
# writes one in the files plotted). Columns are found by name, never by
# position, so extra columns (more events) change nothing.
#
# csv_split(line, f): splits one record into f[1..n]; returns n, or a
# negative number for a malformed record (see csv_why()).
# csv_line(): $0 without a trailing CR (CRLF files) and, on line 1, without
# a UTF-8 byte-order mark.
# csv_header(n, f, col): col[name] = index; returns "" or why it is bad.
# csv_num(s): 1 when s is a whole decimal number as dmabench's strict parser
# (src/harness/csv.h) takes it: [+-]digits[.digits][e[+-]digits], finite.
# csv_die(msg): prints "<prog>: <msg>" on stderr once, exits 2.
# csv_record(f, col, need, nneed, name): reads the current line of file
# `name` into f[], dying on a malformed record; on line 1 fills col[] and
# checks that the nneed columns need[1..nneed] are there, on later lines
# that the field count matches the header. Returns 0 for the header, else
# the number of fields (the caller does `if (!csv_record(...)) next`).

function csv_line(    l) {
	l = $0
	if (NR == 1 && substr(l, 1, 3) == "\357\273\277")
		l = substr(l, 4)
	sub(/\r$/, "", l)
	return l
}

function csv_split(line, f,    n, i, L, c, field, inq, q) {
	if (index(line, "\"") == 0)
		return split(line, f, ",")
	n = 0; field = ""; inq = 0; L = length(line); i = 1; q = 0
	while (i <= L) {
		c = substr(line, i, 1)
		if (inq) {
			if (c == "\"") {
				if (substr(line, i + 1, 1) == "\"") {
					field = field "\""; i += 2; continue
				}
				inq = 0; i++
				if (i <= L && substr(line, i, 1) != ",")
					return -2
				continue
			}
			field = field c; i++
			continue
		}
		if (c == ",") {
			f[++n] = field; field = ""; q = 0; i++
			continue
		}
		if (c == "\"") {
			if (field != "" || q)
				return -3
			inq = 1; q = 1; i++
			continue
		}
		field = field c; i++
	}
	if (inq)
		return -1
	f[++n] = field
	return n
}

function csv_why(rc) {
	if (rc == -1) return "unterminated quoted field (or a line break inside a field)"
	if (rc == -2) return "text after a closing quote"
	if (rc == -3) return "a quote inside an unquoted field"
	return "malformed record"
}

function csv_header(n, f, col,    i) {
	for (i = 1; i <= n; i++) {
		if (f[i] == "")
			return "empty column name (column " i ")"
		if (f[i] in col)
			return "column " f[i] " appears twice"
		col[f[i]] = i
	}
	return ""
}

function csv_num(s,    x) {
	if (s !~ /^[+-]?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$/)
		return 0
	x = s + 0
	return (x < 1e308 && x > -1e308)
}

function csv_record(f, col, need, nneed, name,    n, why, i) {
	n = csv_split(csv_line(), f)
	if (n < 0)
		csv_die(name ": line " NR ": " csv_why(n))
	if (NR == 1) {
		why = csv_header(n, f, col)
		if (why != "")
			csv_die(name ": line " NR ": " why)
		for (i = 1; i <= nneed; i++)
			if (!(need[i] in col))
				csv_die(name ": missing column " need[i])
		csv_ncols = n
		return 0
	}
	if (n != csv_ncols)
		csv_die(name ": line " NR ": " n " fields, the header has " csv_ncols)
	return n
}

function csv_die(msg) {
	if (!csv_died)
		print prog ": " msg > "/dev/stderr"
	csv_died = 1
	exit 2
}
