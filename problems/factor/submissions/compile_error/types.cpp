#include <cstdio>
#include <string>

int main() {
    long long n;
    scanf("%lld", &n);
    std::string s = n;  // no conversion from long long to std::string
    printf("%s\n", s.c_str());
}
