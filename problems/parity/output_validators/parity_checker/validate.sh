# Output validator: argv input answer feedback_dir; the team's output on stdin. Accepts the answer's
# word in any letter case and nothing else. Exit 42 = accepted, 43 = wrong answer.
feedback=$3
expected=$(tr -d ' \n' < "$2")
got=$(tr '[:upper:]' '[:lower:]' | tr -s ' \n' ' ' | sed 's/^ //; s/ $//')
if [ "$got" = "$expected" ]; then exit 42; fi
printf 'expected "%s", got "%.40s"\n' "$expected" "$got" > "${feedback}judgemessage.txt"
printf 'the answer is one word, even or odd\n' > "${feedback}teammessage.txt"
exit 43
