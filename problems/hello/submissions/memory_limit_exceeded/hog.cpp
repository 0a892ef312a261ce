#include <cstring>
#include <iostream>
#include <vector>

int main() {
    // 1 GiB, every page written so it is really resident.
    std::vector<char> v(1ull << 30);
    std::memset(v.data(), 1, v.size());
    std::cout << int(v[12345]) << "\n";
}
