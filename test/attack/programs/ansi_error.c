/* A C file whose compile error carries terminal control sequences (clear screen, set title,
 * bell): the compiler echoes them, the team must see none of them. */
#error "[2J]0;pwned owned"
int main(void) { return 0; }
