#include <cstdlib>
#include <iostream>
#include <string>

int main() {
    std::string name;
    std::cin >> name;
    std::abort();  // SIGABRT before printing anything
}
