#!/bin/sh
# Prints the C program embedded in a man page between the comment lines
# '.\" example-begin' and '.\" example-end', turning the troff escapes it
# uses (\e, \-, \&, \(aq, \(dq) back into plain characters.
set -eu
sed -n '/^\.\\" example-begin/,/^\.\\" example-end/p' "$1" |
	sed -e '1d' -e '$d' -e '/^\.nf$/d' -e '/^\.fi$/d' -e '/^\.EX$/d' -e '/^\.EE$/d' \
	    -e 's/\\-/-/g' -e 's/\\&//g' -e "s/\\\\(aq/'/g" -e 's/\\(dq/"/g' \
	    -e 's/\\e/\\/g'
