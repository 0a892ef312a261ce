// A submission made of several files: main.cpp, greet.h and greet.cpp are compiled together.
#include <iostream>
#include <string>

#include "greet.h"

int main() {
    std::string name;
    std::cin >> name;
    std::cout << greet(name) << "\n";
}
