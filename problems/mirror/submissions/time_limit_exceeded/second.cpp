// Fine in the first run, loops forever in the second.
#include <iostream>
int main() {
  int kind;
  std::cin >> kind;
  if (kind == 2) for (volatile unsigned long long i = 0;; i++) {}
  std::cout << 0 << "\n";
}
