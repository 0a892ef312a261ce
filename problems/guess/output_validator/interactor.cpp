// Interactor for "Guess the Number" (Kattis interactive output validator).
// Invocation: interactor input_file answer_file feedback_dir < team_output > team_input
// The secret number is read from input_file. Exit 42: accepted, 43: wrong answer, with the reason
// in feedback_dir/judgemessage.txt. Any other exit is a judging error.
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

static const long long MAX_N = 1000000000;
static const int MAX_QUERIES = 30;
static std::string feedback_dir;

[[noreturn]] static void finish(int code, const char* fmt, long long a = 0, long long b = 0) {
    std::string path = feedback_dir + "judgemessage.txt";
    if (FILE* f = std::fopen(path.c_str(), "w")) {
        std::fprintf(f, fmt, a, b);
        std::fputc('\n', f);
        std::fclose(f);
    }
    std::exit(code);
}

int main(int argc, char** argv) {
    if (argc < 4) {
        std::fprintf(stderr, "usage: %s input_file answer_file feedback_dir\n", argv[0]);
        return 1;
    }
    // A team that exits early must not kill the interactor with SIGPIPE.
    std::signal(SIGPIPE, SIG_IGN);
    feedback_dir = argv[3];
    if (!feedback_dir.empty() && feedback_dir.back() != '/') feedback_dir += '/';

    long long x = 0;
    FILE* in = std::fopen(argv[1], "r");
    if (!in || std::fscanf(in, "%lld", &x) != 1 || x < 1 || x > MAX_N) {
        std::fprintf(stderr, "bad input file %s\n", argv[1]);
        return 1;
    }
    std::fclose(in);

    char line[64];
    for (int q = 1;; q++) {
        if (!std::fgets(line, sizeof line, stdin)) finish(43, "team stopped after %lld questions without finding x = %lld", q - 1, x);
        long long g = 0;
        char rest[8];
        if (std::sscanf(line, "? %lld %1s", &g, rest) != 1 || std::strncmp(line, "? ", 2) != 0) {
            finish(43, "malformed question (question %lld); x = %lld", q, x);
        }
        if (q > MAX_QUERIES) finish(43, "more than 30 questions (question %lld); x = %lld", q, x);
        if (g < 1 || g > MAX_N) finish(43, "guess %lld out of range; x = %lld", g, x);
        const char* reply = x < g ? "lower" : x > g ? "higher" : "correct";
        std::printf("%s\n", reply);
        std::fflush(stdout);
        if (x == g) {
            // Anything written after "correct" is a protocol violation.
            if (std::fgets(line, sizeof line, stdin)) finish(43, "output after the correct guess (%lld questions)", q);
            finish(42, "found x = %lld in %lld questions", x, q);
        }
    }
}
