/* C, not C++: std::hypot does not exist here. */
#include <stdio.h>

int main(void) {
    printf("%f\n", std::hypot(3.0, 4.0));
    return 0;
}
