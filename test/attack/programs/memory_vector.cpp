// Grows a std::vector<long> and writes every element. Must end as a memory limit hit.
#include <vector>

int main() {
  std::vector<long> v;
  for (long i = 0;; i++) v.push_back(i);
}
