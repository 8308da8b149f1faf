/* progress.c: vae-train's progress bar (terminal) and periodic lines (pipe).
 * Writes only to the FILE it is given; knows nothing of training. */
#include "progress.h"

#include <stdarg.h>
#include <time.h>
#include <unistd.h>

#define BAR_WIDTH 30

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void progress_init(progress_t *p, FILE *out, int tty, const char *label,
                   size_t total)
{
    p->out = out;
    p->tty = tty >= 0 ? tty : isatty(fileno(out));
    p->label = label ? label : "train";
    p->total = total;
    p->line_every = total / PROGRESS_LINES ? total / PROGRESS_LINES : 1;
    p->t_start = p->t_last = now_s();
    p->iter_last = 0;
    p->drawn = 0;
}

/* Iterations per second since the last drawing: the current speed, not
 * one diluted by start-up or by evaluations long past. */
static double rate(const progress_t *p, size_t iter, double t)
{
    double dt = t - p->t_last;
    return dt > 0 ? (double)(iter - p->iter_last) / dt : 0.0;
}

static void draw_bar(progress_t *p, size_t iter, double loss, double t)
{
    double r = rate(p, iter, t);
    size_t fill = p->total ? iter * BAR_WIDTH / p->total : BAR_WIDTH;
    char bar[BAR_WIDTH + 1];
    for (size_t i = 0; i < BAR_WIDTH; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[BAR_WIDTH] = '\0';
    double eta = r > 0 ? (double)(p->total - iter) / r : 0.0;
    /* \033[K clears what a longer previous bar left on the line */
    fprintf(p->out, "\r%s [%s] %zu/%zu  loss %.3f  %.1f it/s  eta %.0fs\033[K",
            p->label, bar, iter, p->total, loss, r, eta);
    fflush(p->out);
    p->drawn = 1;
}

static void draw_line(progress_t *p, size_t iter, double loss, double t)
{
    fprintf(p->out, "%s: iter %zu/%zu  loss %.3f  %.1f it/s  %.1fs\n",
            p->label, iter, p->total, loss, rate(p, iter, t), t - p->t_start);
    fflush(p->out);
}

void progress_update(progress_t *p, size_t iter, double loss)
{
    double t = now_s();
    if (p->tty) {
        if (t - p->t_last < PROGRESS_REDRAW_S)
            return;
        draw_bar(p, iter, loss, t);
    } else {
        if (iter % p->line_every != 0 || iter == p->total)
            return; /* the last line is progress_finish's */
        draw_line(p, iter, loss, t);
    }
    p->t_last = t;
    p->iter_last = iter;
}

void progress_note(progress_t *p, const char *fmt, ...)
{
    if (p->tty && p->drawn) {
        fputs("\r\033[K", p->out);
        p->drawn = 0;
    }
    va_list ap;
    va_start(ap, fmt);
    vfprintf(p->out, fmt, ap);
    va_end(ap);
    fputc('\n', p->out);
    fflush(p->out);
}

void progress_break(progress_t *p)
{
    if (p->tty && p->drawn) {
        fputc('\n', p->out);
        fflush(p->out);
        p->drawn = 0;
    }
}

void progress_finish(progress_t *p, size_t iter, double loss)
{
    double t = now_s();
    if (p->tty) {
        draw_bar(p, iter, loss, t);
        fputc('\n', p->out);
        p->drawn = 0;
    } else {
        draw_line(p, iter, loss, t);
    }
    fflush(p->out);
}
