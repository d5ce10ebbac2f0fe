#include <stdio.h>

static int count;

void bump(void) {
    count += 1;
    printf("%d\n", count);
}
