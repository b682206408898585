/* primes N: prints the primes up to N (a sieve). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 100;
    if (n < 2) return 0;
    char *composite = calloc((size_t)n + 1, 1);
    if (!composite) return 1;
    for (long i = 2; i <= n; i++) {
        if (composite[i]) continue;
        printf(i == 2 ? "%ld" : " %ld", i);
        for (long j = i * i; j <= n; j += i) composite[j] = 1;
    }
    printf("\n");
    free(composite);
    return 0;
}
