#include <iostream>
#include <string>
int main() {
  int kind;
  std::cin >> kind;
  if (kind == 1) {
    std::string w;
    std::cin >> w;
    unsigned long long c = 0;
    for (char ch : w) c = c * 27 + (ch - 'a' + 1);
    std::cout << c << "\n";
  } else {
    unsigned long long c;
    std::cin >> c;
    std::string w;
    for (; c; c /= 27) w.insert(w.begin(), char('a' + c % 27 - 1));
    std::cout << w << "\n";
  }
}
