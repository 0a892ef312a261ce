// Kattis output validator for "Any Factor".
// Invocation: validate input_file answer_file feedback_dir [flags...] < team_output
// Exit 42: accepted, 43: wrong answer; the reason goes to feedback_dir/judgemessage.txt.
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

static std::string feedback_dir;

[[noreturn]] static void verdict(int code, const std::string& msg) {
    std::ofstream(feedback_dir + "judgemessage.txt") << msg << "\n";
    std::exit(code);
}

[[noreturn]] static void wrong(const std::string& msg) { verdict(43, msg); }

int main(int argc, char** argv) {
    if (argc < 4) {
        std::fprintf(stderr, "usage: %s input_file answer_file feedback_dir\n", argv[0]);
        return 1;  // neither 42 nor 43: the judge reports a judging error
    }
    feedback_dir = argv[3];
    if (!feedback_dir.empty() && feedback_dir.back() != '/') feedback_dir += '/';

    long long n = 0;
    std::ifstream input(argv[1]);
    if (!(input >> n)) {
        std::fprintf(stderr, "cannot read n from %s\n", argv[1]);
        return 1;
    }

    std::string token;
    if (!(std::cin >> token)) wrong("no output");
    if (token.size() > 13) wrong("number too long: " + token.substr(0, 20) + "...");
    for (char c : token) {
        if (!std::isdigit(static_cast<unsigned char>(c))) wrong("not a positive integer: " + token);
    }
    long long d = std::stoll(token);
    if (d <= 1 || d >= n) wrong(token + " is not strictly between 1 and n = " + std::to_string(n));
    if (n % d != 0) wrong(token + " does not divide " + std::to_string(n));
    std::string extra;
    if (std::cin >> extra) wrong("unexpected output after the divisor: " + extra.substr(0, 20));
    verdict(42, "divisor " + token + " of " + std::to_string(n));
}
