/* report.c: the terminal table (report.h). Text that may hold a
 * submission's bytes (messages, compiler output, reasons, paths) is printed
 * through utf8_for_terminal, so no escape sequence of theirs reaches the
 * terminal. */
#include "report/report.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "driver/api.h"
#include "driver/profile.h"
#include "report/utf8.h"

#define DETAIL_LINES 16

typedef struct palette {
    const char *green, *red, *yellow, *dim, *bold, *off;
} palette_t;

static palette_t palette_for(FILE *f)
{
    palette_t none = { "", "", "", "", "", "" };
    palette_t ansi = { "\033[32m", "\033[31m", "\033[33m", "\033[2m", "\033[1m", "\033[0m" };
    const char *no = getenv("NO_COLOR");
    return isatty(fileno(f)) && !(no && no[0]) ? ansi : none;
}

static const char *colour_of(const palette_t *c, outcome_t o)
{
    switch (o) {
    case OUTCOME_PASSED: return c->green;
    case OUTCOME_PARTIAL:
    case OUTCOME_NOT_IMPLEMENTED:
    case OUTCOME_SKIPPED: return c->yellow;
    default: return c->red;
    }
}

/* s, its control bytes escaped. */
static void put_safe(FILE *f, const char *s)
{
    char *t = utf8_for_terminal(s ? s : "");
    fputs(t ? t : "[no memory]", f);
    free(t);
}

/* The first lines of text, each indented. */
static void print_indented(FILE *f, const char *raw, int max_lines)
{
    char *text = utf8_for_terminal(raw ? raw : "");
    if (!text)
        return;
    int lines = 0;
    const char *p = text;
    while (*p && lines < max_lines) {
        size_t k = strcspn(p, "\n");
        fprintf(f, "      %.*s\n", (int)k, p);
        lines++;
        p += k + (p[k] == '\n');
    }
    if (*p)
        fprintf(f, "      [...]\n");
    free(text);
}

void report_print(FILE *f, const grade_run_t *g, const profile_t *p,
                  const char *results_path)
{
    palette_t c = palette_for(f);
    fprintf(f, "%svaegrade%s ", c.bold, c.off);
    put_safe(f, g->dir);
    fprintf(f, "  (profile: ");
    put_safe(f, p->name);
    fprintf(f, ")%s\n", g->release ? "  local grade (release mode)" : "");
    if (!g->scanned) {
        /* One line says it: no check could run. */
        fprintf(f, "%sThe grader failed%s: ", c.red, c.off);
        put_safe(f, g->grader_error);
        fprintf(f, "\n\n%sTotal 0 / %.4g%s    elapsed %.1f s\nResults: ", c.bold,
                profile_total_points(p), c.off, g->seconds);
        put_safe(f, results_path);
        fputc('\n', f);
        return;
    }
    {
        for (int i = 0; i < api_n_files(); i++) {
            const file_build_t *b = &g->builds[i];
            const char *n = api_files()[i].name;
            if (g->assignment && !assignment_asks(g->assignment, n))
                continue;
            if (!g->sub.files[i].present)
                fprintf(f, "  %-9s %snot found%s\n", n, c.dim, c.off);
            else if (b->state == BUILD_OK)
                fprintf(f, "  %-9s built%s\n", n,
                        b->log && strstr(b->log, "warning:") ? " (with warnings: see the results file)" : "");
            else {
                fprintf(f, "  %-9s %sREFUSED%s (every check of this file scores 0)\n",
                        n, c.red, c.off);
                print_indented(f, b->reason, DETAIL_LINES);
                if (b->log && b->log[0])
                    print_indented(f, b->log, DETAIL_LINES);
            }
        }
    }
    fprintf(f, "\n  %-36s %-9s %s\n", "check", "points", "result");
    double total = 0, max = 0, later = 0, bonus = 0, bonus_max = 0, bonus_later = 0;
    for (size_t i = 0; i < g->n_results; i++) {
        const check_result_t *r = &g->results[i];
        char pts[32];
        snprintf(pts, sizeof pts, "%.4g/%.4g", r->score, r->conf->points);
        fprintf(f, "  %-36s %-9s %s%s%s%s\n", r->conf->id, pts,
                colour_of(&c, r->outcome), outcome_label(r->outcome), c.off,
                r->conf->bonus ? " (bonus)" : "");
        if (r->conf->bonus) {
            bonus += r->score;
            if (r->outcome == OUTCOME_SKIPPED)
                bonus_later += r->conf->points;
            else
                bonus_max += r->conf->points;
            continue;
        }
        total += r->score;
        if (r->outcome == OUTCOME_SKIPPED)
            later += r->max_score;
        else
            max += r->max_score;
    }
    int details = 0;
    for (size_t i = 0; i < g->n_results; i++) {
        const check_result_t *r = &g->results[i];
        /* The table says it all for these. */
        if (r->outcome == OUTCOME_PASSED || r->outcome == OUTCOME_SKIPPED ||
            r->outcome == OUTCOME_NOT_IMPLEMENTED)
            continue;
        /* A refused file was explained once, above. */
        int fi = api_file_index(r->conf->def->file);
        if (g->scanned && fi >= 0 && g->builds[fi].state == BUILD_REFUSED)
            continue;
        if (!details++)
            fprintf(f, "\n%sWhat went wrong%s\n", c.bold, c.off);
        fprintf(f, "  %s%s%s (%s)\n", colour_of(&c, r->outcome), r->conf->id,
                c.off, outcome_label(r->outcome));
        print_indented(f, r->message, DETAIL_LINES);
        if (r->output[0]) {
            fprintf(f, "      %s(your code printed output: see ", c.dim);
            put_safe(f, results_path);
            fprintf(f, ")%s\n", c.off);
        }
    }
    fprintf(f, "\n%sTotal %.4g / %.4g%s", c.bold, total, max, c.off);
    if (bonus_max > 0)
        fprintf(f, "  + bonus %.4g / %.4g", bonus, bonus_max);
    if (later > 0 || bonus_later > 0) {
        fprintf(f, "  (+ %.4g", later);
        if (bonus_later > 0)
            fprintf(f, " and %.4g bonus", bonus_later);
        fprintf(f, " graded after submission)");
    }
    fprintf(f, "    elapsed %.1f s\n", g->seconds);
    if (g->release_note[0]) {
        fprintf(f, "%sNote%s: ", c.yellow, c.off);
        put_safe(f, g->release_note);
        fputc('\n', f);
    }
    if (g->grader_failed) {
        fprintf(f, "%sGRADER ERROR%s: ", c.red, c.off);
        put_safe(f, g->grader_error);
        fputc('\n', f);
    }
    fprintf(f, "Results: ");
    put_safe(f, results_path);
    fputc('\n', f);
}
