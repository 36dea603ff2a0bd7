/* malloc/free/realloc/calloc: a linked list, a growing array, and blocks above the mmap threshold. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct node {
    struct node *next;
    int value;
};

int main(void) {
    struct node *head = NULL;
    for (int i = 0; i < 1000; i++) {
        struct node *n = malloc(sizeof *n);
        n->value = i * i;
        n->next = head;
        head = n;
    }
    long sum = 0;
    while (head != NULL) {
        struct node *next = head->next;
        sum += head->value;
        free(head);
        head = next;
    }
    printf("list sum: %ld\n", sum);

    size_t capacity = 1, length = 0;
    uint32_t *numbers = malloc(capacity * sizeof *numbers);
    for (uint32_t x = 1; length < 50000; x = x * 1103515245u + 12345u) {
        if (length == capacity) {
            capacity *= 2;
            numbers = realloc(numbers, capacity * sizeof *numbers);
        }
        numbers[length++] = x;
    }
    uint64_t hash = 1469598103934665603ull;
    for (size_t i = 0; i < length; i++) {
        hash = (hash ^ numbers[i]) * 1099511628211ull;
    }
    printf("array of %zu (capacity %zu): fnv %016llx\n", length, capacity, (unsigned long long)hash);
    free(numbers);

    for (int round = 0; round < 4; round++) {
        size_t size = (size_t)(1 + round) << 20; /* 1..4 MiB: mmap'd blocks */
        unsigned char *big = calloc(size, 1);
        size_t zeros = 0;
        for (size_t i = 0; i < size; i += 4096) {
            zeros += big[i] == 0;
        }
        memset(big, 0xa5, size);
        printf("block %d: %zu bytes, %zu zero pages, last byte %02x\n", round, size, zeros, big[size - 1]);
        free(big);
    }
    return 0;
}
