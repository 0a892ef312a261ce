#include <iostream>
#include <string>

int main() {
    long long n;
    std::cin >> n;
    for (long long i = 0; i < n; i++) {
        long long v;
        std::cin >> v;
        std::cout << 2 * v << std::endl;
    }
    std::string end;
    std::cin >> end;
}
