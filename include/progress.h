/* progress.h: the training progress display of vae-train. On a terminal a
 * bar redrawn in place (iteration, running loss, iterations per second, at
 * most PROGRESS_REDRAW_S apart); in a pipe or file, plain lines every
 * twentieth of the run, so logs stay readable. Not a logger. */
#ifndef VG_PROGRESS_H
#define VG_PROGRESS_H

#include <stddef.h>
#include <stdio.h>

#define PROGRESS_REDRAW_S 0.1
#define PROGRESS_LINES 20

typedef struct progress {
    FILE *out;
    int tty;              /* redraw in place */
    const char *label;    /* e.g. the model's name */
    size_t total;         /* iterations of the run */
    size_t line_every;    /* pipe: iterations between lines */
    double t_start;       /* seconds, monotonic */
    double t_last;        /* when the last bar or line was drawn */
    size_t iter_last;     /* its iteration */
    int drawn;            /* a bar is on the current line */
} progress_t;

/* tty: 1 or 0 to force a mode, -1 to ask isatty() of out. */
void progress_init(progress_t *p, FILE *out, int tty, const char *label,
                   size_t total);
/* After iteration iter (1-based) with the running loss. */
void progress_update(progress_t *p, size_t iter, double loss);
/* A line of its own that does not tear the bar (evaluations). */
void progress_note(progress_t *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Ends a bar drawn on the current line so that an error message starts on
 * a line of its own (nothing in a pipe). */
void progress_break(progress_t *p);
/* The final state, and a newline after the bar. */
void progress_finish(progress_t *p, size_t iter, double loss);

#endif
