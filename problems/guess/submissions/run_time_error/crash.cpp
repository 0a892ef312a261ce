#include <iostream>
#include <string>

int main() {
    std::cout << "? 500000000" << std::endl;
    std::string reply;
    std::cin >> reply;
    return 7;  // gives up with a non-zero exit code
}
