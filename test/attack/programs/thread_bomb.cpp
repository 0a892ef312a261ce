// std::thread until the runtime throws; prints how many it got (same limit as thread_bomb.c).
#include <chrono>
#include <cstdio>
#include <system_error>
#include <thread>
#include <vector>

int main() {
  std::vector<std::thread> threads;
  try {
    for (int i = 0; i < 100000; i++)
      threads.emplace_back([] { for (;;) std::this_thread::sleep_for(std::chrono::hours(1)); });
  } catch (const std::system_error &) {
  }
  std::printf("threads: %zu\n", threads.size());
  std::fflush(stdout);
  std::_Exit(0);  // joining would wait for ever; the sandbox must reap the rest
}
