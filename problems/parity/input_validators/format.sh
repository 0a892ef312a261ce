# Input validator: one line holding one whole number 0..$1 without leading zeros. Exit 42 = valid.
max=$1
read -r n rest || exit 43
[ -z "$rest" ] || { echo "more than one token on the line" >&2; exit 43; }
case $n in
  0) ;;
  [1-9]*) case $n in *[!0-9]*) echo "not a number: $n" >&2; exit 43 ;; esac ;;
  *) echo "not a whole number without leading zeros: $n" >&2; exit 43 ;;
esac
[ "${#n}" -le "${#max}" ] && [ "$n" -le "$max" ] || { echo "$n is above $max" >&2; exit 43; }
# Nothing after the first line.
if IFS= read -r extra || [ -n "$extra" ]; then echo "text after the first line" >&2; exit 43; fi
exit 42
