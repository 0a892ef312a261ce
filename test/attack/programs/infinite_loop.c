/* Burns CPU for ever. Must end as a CPU time limit hit. */
int main(void) {
  volatile unsigned long x = 0;
  for (;;) x++;
}
