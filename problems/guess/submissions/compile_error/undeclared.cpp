#include <iostream>

int main() {
    std::cout << "? " << middle << std::endl;  // `middle` is not declared
}
