#!/bin/sh
# Install the Debian packages dmabench needs, or say exactly what to install.
# Run as root: installs what is missing. Otherwise: prints the apt-get line, exits 1.
# Quiet (exit 0) when everything is present.
set -u
# perl: prove, which make test runs the TAP tests under (perl-base lacks it)
PKGS="liburcu-dev libhwloc-dev hwloc libpfm4-dev gnuplot-nox pkg-config perl"

missing=""
for p in $PKGS; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null) || st=""
	case "$st" in
	*"install ok installed"*) ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0

line="apt-get install -y$missing"
if [ "$(id -u)" -ne 0 ]; then
	echo "dmabench: missing Debian packages; run as root:" >&2
	echo "  $line" >&2
	exit 1
fi
echo "dmabench: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y $missing >&2; then
	apt-get update >&2 && apt-get install -y $missing >&2 || {
		echo "dmabench: '$line' failed" >&2
		exit 1
	}
fi
exit 0
