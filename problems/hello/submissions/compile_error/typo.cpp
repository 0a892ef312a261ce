#include <iostream>

int main() {
    std::cout << "Hello, " << name << "!\n";  // `name` was never declared
}
