// Never asks anything: the interactor waits, the submission spins until the time limit.
int main() {
    volatile unsigned long long n = 0;
    for (;;) n = n + 1;
}
