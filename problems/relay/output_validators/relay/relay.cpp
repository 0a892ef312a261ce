// Interactor for "Relay" (Kattis interactive output validator).
// Invocation: relay input_file answer_file feedback_dir < team_output > team_input
// input_file: n, then n integers. Exit 42 accepted, 43 wrong answer (reason in judgemessage.txt).
// SIGPIPE is deliberately left at its default: a team that exits early may kill this process, and
// the judge has to treat that as the team's fault.
#include <cstdio>
#include <cstdlib>
#include <string>

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
    if (argc < 4) return 1;
    feedback_dir = argv[3];
    if (!feedback_dir.empty() && feedback_dir.back() != '/') feedback_dir += '/';
    FILE* in = std::fopen(argv[1], "r");
    long long n = 0;
    if (!in || std::fscanf(in, "%lld", &n) != 1 || n < 1 || n > 1000) return 1;
    std::printf("%lld\n", n);
    std::fflush(stdout);
    for (long long i = 1; i <= n; i++) {
        long long v = 0, got = 0;
        if (std::fscanf(in, "%lld", &v) != 1) return 1;
        std::printf("%lld\n", v);
        std::fflush(stdout);
        char line[64];
        if (!std::fgets(line, sizeof line, stdin)) finish(43, "no answer in round %lld", i);
        if (std::sscanf(line, "%lld", &got) != 1 || got != 2 * v) finish(43, "round %lld: wrong answer %lld", i, got);
    }
    std::printf("end\n");
    std::fflush(stdout);
    char line[64];
    if (std::fgets(line, sizeof line, stdin)) finish(43, "output after the end (%lld rounds)", n);
    finish(42, "%lld rounds", n);
}
