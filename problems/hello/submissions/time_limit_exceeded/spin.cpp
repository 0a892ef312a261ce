#include <iostream>

int main() {
    volatile unsigned long long n = 0;
    for (;;) n = n + 1;  // volatile: the loop cannot be optimised away
}
