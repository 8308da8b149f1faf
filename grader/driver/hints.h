/* hints.h: recognises the usual mistakes from the numbers alone: a factor
 * of 2 or 1/2, a flipped sign, a batch sum where a mean was due, -inf from
 * an underflow, NaN from an unwritten output, and, from the "hint:*" arrays
 * runner-ref computes with a known mistake (variance squared, sqrt(v) for
 * v, KL arguments swapped, ...), the mistake itself. Not a verdict: a hint
 * only adds words to a failure already decided. */
#ifndef VG_HINTS_H
#define VG_HINTS_H

#include <stddef.h>
#include "runner/protocol.h"

/* Appends a hint sentence (or nothing) to buf (cap bytes, NUL-terminated,
 * len its current length) for got (n) against expected (n). ref may be
 * NULL; batch is B for the sum-versus-mean test (0: not applicable). */
void hints_append(char *buf, size_t cap, const double *expected,
                  const double *got, size_t n, const proto_result_t *ref,
                  double batch);

/* The words of a hint array's label ("var_squared"), or NULL. */
const char *hints_label_text(const char *label);

/* 1 when got matches candidate (n) to rel (and a 1e-300 floor). */
int hints_match(const double *candidate, const double *got, size_t n, double rel);

#endif
