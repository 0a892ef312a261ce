// Unbounded recursion in C++ with a std::string on every frame.
#include <string>

static std::string down(const std::string &s) { return down(s + "x") + s; }

int main() { return (int)down("").size(); }
