/* Loops for ever: gdb's Ctrl-C must interrupt it (GdbBridgeIT). */
volatile long counter;

int main(void) {
    for (;;) {
        counter++;
    }
}
