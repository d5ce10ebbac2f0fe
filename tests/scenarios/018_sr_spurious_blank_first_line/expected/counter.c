#include <stdio.h>

static int count;

void bump(void) {
    count += 2;
    printf("%d\n", count);
}
