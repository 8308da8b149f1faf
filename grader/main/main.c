/* main.c: the vaegrade command line, the only place that prints or exits.
 *   vaegrade grade DIR [--json FILE] [--format gradescope|prairielearn]
 *                      [--only ID,...] [--hidden] [--seed S] [--jobs N]
 *                      [--profile FILE] [--hidden-profile FILE] [--root DIR]
 *                      [--tmp DIR] [--keep-work] [--no-cache]
 *                      [--compile-isolation auto|namespace|uid|none]
 *                      [--compile-uid N] [--require-isolation]
 *                      [--reference-data DIR] [--write-reference-data DIR]
 *                      [--metadata FILE]
 *   vaegrade list [--profile FILE] [--root DIR] [--hidden]
 * Every command takes --assignment NAME (default cs236-hw2): what is graded,
 * its catalogue, API and default profiles (driver/assignment.h).
 *   vaegrade explain ID [--profile FILE] [--root DIR] [--hidden]
 *   vaegrade --version [--profile FILE] [--root DIR]
 *   vaegrade stamp [--profile FILE] [--root DIR]
 *   vaegrade batch SUBMISSIONS_DIR --out DIR [--jobs N] [--shard K/N] [grade options]
 *   vaegrade batch --merge OUTDIR DIR...
 * Exit status: 0 whenever grading completed, whatever the score; 1 for a
 * usage error; 2 when the grader itself failed (the reason on stderr, and
 * in the results file, which is written in every case). */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "batch/batch.h"
#include "driver/api.h"
#include "main/assignments.h"
#include "driver/checks.h"
#include "container/metadata.h"
#include "driver/env.h"
#include "driver/grade.h"
#include "driver/profile.h"
#include "report/report.h"
#include "report/results.h"
#include "version/version.h"
#include "vg_error.h"

enum { EXIT_GRADED = 0, EXIT_USAGE = 1, EXIT_GRADER = 2 };

typedef struct options {
    const char *command, *arg;
    const char *json, *profile, *hidden_profile, *root, *tmp, *refdata;
    const char *metadata;   /* Gradescope's submission_metadata.json, or NULL */
    const char *assignment; /* --assignment, or NULL: cs236-hw2 */
    results_format_t format;
    grade_options_t grade;
    int keep_work;
    batch_options_t batch;
} options_t;

static void usage(FILE *f)
{
    fprintf(f,
        "usage: vaegrade grade DIR [--json FILE] [--format gradescope|prairielearn]\n"
        "                          [--only ID,...] [--hidden] [--seed S] [--jobs N]\n"
        "                          [--profile FILE] [--hidden-profile FILE] [--root DIR]\n"
        "                          [--tmp DIR] [--keep-work] [--no-cache]\n"
        "                          [--compile-isolation auto|namespace|uid|none]\n"
        "                          [--compile-uid N] [--require-isolation]\n"
        "                          [--reference-data DIR] [--write-reference-data DIR]\n"
        "                          [--metadata FILE]\n"
        "       vaegrade list [--profile FILE] [--root DIR] [--hidden]\n"
        "       vaegrade explain ID [--profile FILE] [--root DIR] [--hidden]\n"
        "       vaegrade --version [--profile FILE] [--root DIR]\n"
        "       vaegrade stamp [--profile FILE] [--root DIR]   (the release stamp)\n"
        "       vaegrade batch SUBMISSIONS_DIR --out DIR [--jobs N] [--shard K/N]\n"
        "                      [--timeout S] [--grade-jobs N] [grade options]\n"
        "       vaegrade batch --merge OUTDIR DIR...\n"
        "every command takes --assignment NAME (default " ASSIGNMENT_DEFAULT ").\n"
        "grade writes the results to FILE (default results.json), never to stdout,\n"
        "and prints a report; exit status 0 whenever grading completed.\n");
}

/* The grade options that take no value. */
static int batch_flag(const char *a)
{
    return !strcmp(a, "--hidden") || !strcmp(a, "--keep-work") ||
           !strcmp(a, "--no-cache") || !strcmp(a, "--require-isolation");
}

static int parse(options_t *o, int argc, char **argv)
{
    memset(o, 0, sizeof *o);
    o->json = "results.json";
    o->grade.jobs = 2;
    o->batch.jobs = 2;
    o->batch.grade_jobs = 1;
    o->batch.shard_n = 1;
    o->grade.compile_uid = -1;
    if (argc < 2)
        return -1;
    o->command = argv[1];
    int i = 2;
    if (strcmp(o->command, "grade") == 0 || strcmp(o->command, "explain") == 0) {
        if (argc < 3 || argv[2][0] == '-')
            return -1;
        o->arg = argv[2];
        i = 3;
    } else if (strcmp(o->command, "batch") == 0) {
        if (argc > 2 && argv[2][0] != '-')
            o->arg = argv[i++];
    } else if (strcmp(o->command, "list") != 0 && strcmp(o->command, "--version") != 0 &&
               strcmp(o->command, "stamp") != 0) {
        return -1;
    }
    int batch = strcmp(o->command, "batch") == 0;
    for (; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (batch) {
            int taken = batch_parse_option(&o->batch, argc, argv, &i);
            if (taken == 0)
                taken = batch_pass_option(&o->batch, a, batch_flag(a) ? NULL : v);
            if (taken == VG_ERR) {
                fprintf(stderr, "vaegrade: %s\n", vg_error_last());
                return -1;
            }
            if (taken == 1)
                continue;
        }
        if (strcmp(a, "--hidden") == 0) {
            o->grade.hidden = 1;
            continue;
        }
        if (strcmp(a, "--keep-work") == 0) {
            o->keep_work = 1;
            continue;
        }
        if (strcmp(a, "--no-cache") == 0) {
            o->grade.no_cache = 1;
            continue;
        }
        if (strcmp(a, "--require-isolation") == 0) {
            o->grade.require_isolation = 1;
            continue;
        }
        if (!v) {
            fprintf(stderr, "vaegrade: %s needs a value\n", a);
            return -1;
        }
        i++;
        if (strcmp(a, "--json") == 0) {
            o->json = v;
        } else if (strcmp(a, "--format") == 0) {
            if (strcmp(v, "gradescope") == 0)
                o->format = RESULTS_GRADESCOPE;
            else if (strcmp(v, "prairielearn") == 0)
                o->format = RESULTS_PRAIRIELEARN;
            else {
                fprintf(stderr, "vaegrade: --format %s: gradescope or prairielearn\n", v);
                return -1;
            }
        } else if (strcmp(a, "--only") == 0) {
            o->grade.only = v;
        } else if (strcmp(a, "--seed") == 0) {
            char *end;
            errno = 0;
            o->grade.seed = strtoull(v, &end, 10);
            if (errno || *end || v[0] == '-' || end == v) {
                fprintf(stderr, "vaegrade: --seed %s: a non-negative integer\n", v);
                return -1;
            }
            o->grade.have_seed = 1;
        } else if (strcmp(a, "--jobs") == 0) {
            char *end;
            long n = strtol(v, &end, 10);
            if (*end || n < 1 || n > 64) {
                fprintf(stderr, "vaegrade: --jobs %s: 1 to 64\n", v);
                return -1;
            }
            o->grade.jobs = (int)n;
        } else if (strcmp(a, "--profile") == 0) {
            o->profile = v;
        } else if (strcmp(a, "--hidden-profile") == 0) {
            o->hidden_profile = v;
        } else if (strcmp(a, "--root") == 0) {
            o->root = v;
        } else if (strcmp(a, "--tmp") == 0) {
            o->tmp = v;
        } else if (strcmp(a, "--reference-data") == 0) {
            o->refdata = v;
        } else if (strcmp(a, "--write-reference-data") == 0) {
            o->grade.write_refdata = v;
        } else if (strcmp(a, "--metadata") == 0) {
            o->metadata = v;
        } else if (strcmp(a, "--assignment") == 0) {
            o->assignment = v;
        } else if (strcmp(a, "--compile-isolation") == 0) {
            if (jail_try_parse(&o->grade.isolation, v) != VG_OK) {
                fprintf(stderr, "vaegrade: %s\n", vg_error_last());
                return -1;
            }
        } else if (strcmp(a, "--compile-uid") == 0) {
            char *end;
            long n = strtol(v, &end, 10);
            if (*end || end == v || n < 1 || n > 0x7fffffffL) {
                fprintf(stderr, "vaegrade: --compile-uid %s: a uid other than 0\n", v);
                return -1;
            }
            o->grade.compile_uid = n;
        } else {
            fprintf(stderr, "vaegrade: unknown option %s\n", a);
            return -1;
        }
    }
    if (o->refdata && o->grade.write_refdata) {
        fprintf(stderr, "vaegrade: --reference-data and --write-reference-data "
                "exclude each other\n");
        return -1;
    }
    /* A student release's data must hold nothing of the hidden checks. */
    if (o->grade.write_refdata && o->grade.hidden) {
        fprintf(stderr, "vaegrade: --write-reference-data records a student release's "
                "data, which must hold nothing hidden: not with --hidden\n");
        return -1;
    }
    return 0;
}

/* The results file when grading could not even start: valid, scored 0, and
 * saying why, so an autograder platform shows the reason. */
static void write_failure(const options_t *o, const assignment_t *a, const char *why)
{
    grade_run_t g;
    profile_t p;
    memset(&g, 0, sizeof g);
    g.assignment = a;
    memset(&p, 0, sizeof p);
    snprintf(g.dir, sizeof g.dir, "%s", o->arg ? o->arg : "");
    snprintf(p.name, sizeof p.name, "(none)");
    g.grader_failed = 1;
    snprintf(g.grader_error, sizeof g.grader_error, "%s", why);
    char *text = results_render(&g, &p, o->format, why);
    if (text && o->metadata)
        text = metadata_attach(text, o->metadata);
    if (!text || results_write_atomic(o->json, text) != VG_OK)
        fprintf(stderr, "vaegrade: cannot write %s either: %s\n", o->json, vg_error_last());
    free(text);
}

static int load_profile(profile_t *p, const grade_env_t *env, const options_t *o)
{
    char path[PATH_MAX + 64];
    if (o->profile)
        snprintf(path, sizeof path, "%s", o->profile);
    else
        snprintf(path, sizeof path, "%s/%s", env->root, env->assignment->profile);
    if (profile_load(p, path) != VG_OK)
        return VG_ERR;
    if (!o->grade.hidden)
        return VG_OK;
    /* Hidden seeds and knobs live beside the hidden data, out of the
     * student release. */
    if (o->hidden_profile)
        snprintf(path, sizeof path, "%s", o->hidden_profile);
    else
        snprintf(path, sizeof path, "%s/%s", env->root, env->assignment->hidden_profile);
    if (access(path, R_OK) == 0 || o->hidden_profile)
        return profile_overlay(p, path);
    for (size_t i = 0; i < p->n_checks; i++)
        if (p->checks[i].visibility == VIS_HIDDEN)
            return vg_error_set("--hidden: %s is missing, so check %s has no hidden "
                                "seeds", path, p->checks[i].id);
    return VG_OK;
}

static void list_entry(const check_conf_t *c)
{
    printf("%-36s %6.4g%s %-14s %-8s %s\n", c->id, c->points, c->bonus ? "+" : " ",
           visibility_name(c->visibility), c->def->file, c->def->title);
}

static int cmd_list(const profile_t *p, const assignment_t *a)
{
    size_t n;
    const check_def_t *const *all = checks_all(&n);
    printf("%-36s %6s  %-14s %-8s %s\n", "id", "points", "visibility", "file", "title");
    for (size_t i = 0; i < n; i++) {
        int listed = 0;
        /* The check, then its hidden twins (the profile keeps that order). */
        for (size_t k = 0; k < p->n_checks; k++)
            if (p->checks[k].def == all[i]) {
                list_entry(&p->checks[k]);
                listed = 1;
            }
        if (!listed && a->list_unprofiled)
            printf("%-36s %6s  %-14s %-8s %s\n", all[i]->id, "-", "(not in profile)",
                   all[i]->file, all[i]->title);
    }
    double hidden = profile_hidden_points(p, 0), hidden_bonus = profile_hidden_points(p, 1);
    printf("total %.4g points in profile \"%s\"", profile_total_points(p) - hidden, p->name);
    if (profile_bonus_points(p) - hidden_bonus > 0)
        printf(", plus %.4g bonus points (marked +) on top",
               profile_bonus_points(p) - hidden_bonus);
    if (hidden > 0 || hidden_bonus > 0)
        printf("; the hidden checks add %.4g points (and %.4g bonus) in the official "
               "grade (--hidden): %.4g in all", hidden, hidden_bonus,
               profile_total_points(p));
    printf("\n");
    return EXIT_GRADED;
}

/* The grader's version and the profile it would grade with. */
static int cmd_version(const profile_t *p)
{
    printf("vaegrade %s\nprofile \"%s\" %s\nprofile_hash %s (two 64-bit FNV-1a of "
           "the file's bytes)\n", vaegrade_version(), p->name, p->path, p->hash);
    return EXIT_GRADED;
}

static int cmd_stamp(const profile_t *p)
{
    char text[STAMP_MAX_BYTES];
    stamp_text(text, sizeof text, p);
    fputs(text, stdout);
    return EXIT_GRADED;
}

/* Prints text wrapped at 76 columns, indented. */
static void print_wrapped(const char *text, int indent)
{
    int col = indent;
    printf("%*s", indent, "");
    for (const char *p = text; *p;) {
        size_t w = strcspn(p, " ");
        if (col > indent && col + (int)w > 76) {
            printf("\n%*s", indent, "");
            col = indent;
        }
        printf("%.*s", (int)w, p);
        col += (int)w;
        p += w;
        if (*p == ' ') {
            p++;
            if (col < 76) {
                putchar(' ');
                col++;
            }
        }
    }
    putchar('\n');
}

static int cmd_explain(const profile_t *p, const char *id, const char *root,
                       const assignment_t *a)
{
    const check_conf_t *c = profile_find(p, id);
    /* By number too ("1.4"), as --only takes it: the first entry of the
     * profile it selects (the visible check before its hidden twin). */
    for (size_t i = 0; !c && *id && i < p->n_checks; i++)
        if (grade_only_lists(id, p->checks[i].id) && !strchr(id, ','))
            c = &p->checks[i];
    const check_def_t *d = c ? c->def : checks_find(id);
    if (!d) {
        fprintf(stderr, "vaegrade: no check %s (vaegrade list shows them)\n", id);
        return EXIT_USAGE;
    }
    printf("%s: %s\n", c ? c->id : d->id, d->title);
    if (c && c->twin)
        printf("  a twin of %s, with seeds and data of its own\n", d->id);
    printf("  file %s, exercises %s; runner task %s%s\n", d->file, d->functions,
           d->task, d->needs_ref ? ", expected values from runner-ref" : "");
    if (d->cases[0]) {
        printf("  cases:");
        for (size_t i = 0; i < CHECK_MAX_CASES && d->cases[i]; i++)
            printf(" %s", d->cases[i]);
        printf(" (equal shares of the points)\n");
    }
    if (c) {
        printf("  profile: %.4g points%s, %s, memory %.0f MiB, seeds",
               c->points, c->bonus ? " (bonus, on top of the maximum)" : "",
               visibility_name(c->visibility), c->memory_mib);
        for (size_t i = 0; i < c->n_seeds; i++)
            printf(" %" PRIu64, c->seeds[i]);
        if (c->visibility == VIS_HIDDEN && !c->n_seeds)
            printf(" and knobs from the hidden profile (--hidden shows them)");
        printf("\n  time budget per case: max(%.3g s, %.3g x the reference's own CPU "
               "time on that case), CPU time, measured once on this machine "
               "(runner-ref --role sub) and cached\n", c->timeout_floor_s,
               c->timeout_factor);
    } else {
        printf("  not in profile \"%s\": not graded\n", p->name);
    }
    for (size_t i = 0; i < CHECK_MAX_PARAMS && d->params[i].key; i++)
        printf("  param %-10s = %-10.6g %s%s\n", d->params[i].key,
               c ? c->params[i] : d->params[i].def, d->params[i].what,
               d->params[i].to_runner ? " (runner)" : "");
    printf("\n");
    print_wrapped(d->explain, 2);
    if (c && d->explain_more) {
        char more[1024];
        d->explain_more(c, root, more, sizeof more);
        printf("\n");
        print_wrapped(more, 2);
    }
    int other = a && strcmp(a->name, "cs236-hw2") != 0;
    printf("\n  Replay: vaegrade grade DIR%s%s --only %s --seed S%s\n",
           other ? " --assignment " : "", other ? a->name : "", c ? c->id : d->id,
           c && c->visibility == VIS_HIDDEN ? " --hidden" : "");
    return EXIT_GRADED;
}

static int cmd_grade(const options_t *o, const grade_env_t *env_in, profile_t *p)
{
    grade_env_t env = *env_in;
    if (o->grade.only && grade_validate_only(p, o->grade.only) != VG_OK) {
        fprintf(stderr, "vaegrade: %s\n", vg_error_last());
        return EXIT_USAGE;
    }
    if (env_prepare_grading(&env, o->tmp, o->refdata) != VG_OK) {
        fprintf(stderr, "vaegrade: %s\n", vg_error_last());
        write_failure(o, env.assignment, vg_error_last());
        return EXIT_GRADER;
    }
    grade_run_t g;
    int status = EXIT_GRADED;
    if (grade_submission(&g, &env, p, o->arg, &o->grade) != VG_OK) {
        fprintf(stderr, "vaegrade: %s\n", vg_error_last());
        write_failure(o, env.assignment, vg_error_last());
        status = EXIT_GRADER;
        goto cleanup;
    }
    if (g.scanned)
        stamp_note(g.release_note, sizeof g.release_note, o->arg, p);
    char *text = results_render(&g, p, o->format, NULL);
    if (text && o->metadata)
        text = metadata_attach(text, o->metadata);
    if (!text || results_write_atomic(o->json, text) != VG_OK) {
        fprintf(stderr, "vaegrade: cannot write the results: %s\n",
                text ? vg_error_last() : "no memory");
        status = EXIT_GRADER;
    }
    free(text);
    report_print(stdout, &g, p, o->json);
    fflush(stdout);
    /* The driver's own peak memory, for the test that bounds it. */
    if (getenv("VAEGRADE_REPORT_RSS")) {
        struct rusage ru;
        if (getrusage(RUSAGE_SELF, &ru) == 0)
            fprintf(stderr, "vaegrade: peak RSS %ld KiB\n", ru.ru_maxrss);
    }
    /* An unreadable submission was said by the report, once. */
    if (!g.scanned || g.grader_failed) {
        if (g.scanned)
            fprintf(stderr, "vaegrade: the grader failed: %s\n", g.grader_error);
        status = EXIT_GRADER;
    }
    grade_free(&g);
cleanup:
    if (o->keep_work)
        fprintf(stderr, "vaegrade: work directory kept: %s\n", env.work);
    else
        env_remove_work(&env);
    return status;
}

static int cmd_batch(const options_t *o, const grade_env_t *env, const profile_t *p)
{
    batch_totals_t t;
    int rc;
    if (o->batch.merge_out && (o->arg || o->batch.out)) {
        fprintf(stderr, "vaegrade: batch --merge OUTDIR DIR... takes no SUBMISSIONS_DIR "
                "nor --out\n");
        return EXIT_USAGE;
    } else if (o->batch.merge_out) {
        rc = batch_merge(&t, &o->batch);
    } else if (!o->arg || !o->batch.out) {
        fprintf(stderr, "vaegrade: batch needs SUBMISSIONS_DIR and --out DIR\n");
        usage(stderr);
        return EXIT_USAGE;
    } else {
        if (o->batch.only && grade_validate_only(p, o->batch.only) != VG_OK) {
            fprintf(stderr, "vaegrade: %s\n", vg_error_last());
            return EXIT_USAGE;
        }
        rc = batch_run(&t, &o->batch, o->arg, env, p, stdout);
    }
    if (rc != VG_OK) {
        fprintf(stderr, "vaegrade: %s\n", vg_error_last());
        return EXIT_GRADER;
    }
    if (o->batch.merge_out)
        printf("%zu students from %zu shards, %zu the grader failed on; gradebook in "
               "%s/gradebook.csv\n", t.students, o->batch.n_merge, t.failed,
               o->batch.merge_out);
    else
        printf("%zu students: %zu graded, %zu unchanged since the last run, %zu the "
               "grader failed on; gradebook in %s/gradebook.csv\n", t.students, t.graded,
               t.skipped, t.failed, o->batch.out);
    return EXIT_GRADED;
}

int main(int argc, char **argv)
{
    /* Children inherit 0..2 as pipes; make sure ours exist so a pipe we
     * create can never land on them. */
    for (int fd = 0; fd < 3; fd++)
        if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", O_RDWR) != fd)
            return EXIT_GRADER;
    signal(SIGPIPE, SIG_IGN);

    options_t o;
    if (parse(&o, argc, argv) != 0) {
        usage(stderr);
        return EXIT_USAGE;
    }
    /* What is graded: the catalogue, API and profiles all follow from it.
     * An unknown name is a usage error; a grade still writes its results
     * file (score 0, the reason), as whenever grading cannot start. */
    const assignment_t *asg = assignment_find(o.assignment ? o.assignment
                                              : ASSIGNMENT_DEFAULT);
    if (!asg) {
        char names[256];
        vg_error_set("--assignment %s: no such assignment (known: %s)", o.assignment,
                     assignment_names(names, sizeof names));
        fprintf(stderr, "vaegrade: %s\n", vg_error_last());
        if (strcmp(o.command, "grade") == 0)
            write_failure(&o, NULL, vg_error_last());
        return EXIT_USAGE;
    }
    checks_use_catalogue(asg->catalogue, asg->n_tables);
    api_use(asg->api);
    grade_env_t env;
    profile_t p;
    if (env_locate(&env, o.root, asg) != VG_OK || load_profile(&p, &env, &o) != VG_OK) {
        fprintf(stderr, "vaegrade: %s\n", vg_error_last());
        if (strcmp(o.command, "grade") == 0)
            write_failure(&o, asg, vg_error_last());
        return EXIT_GRADER;
    }
    int status;
    if (strcmp(o.command, "list") == 0)
        status = cmd_list(&p, env.assignment);
    else if (strcmp(o.command, "--version") == 0)
        status = cmd_version(&p);
    else if (strcmp(o.command, "stamp") == 0)
        status = cmd_stamp(&p);
    else if (strcmp(o.command, "batch") == 0)
        status = cmd_batch(&o, &env, &p);
    else if (strcmp(o.command, "explain") == 0)
        status = cmd_explain(&p, o.arg, env.root, env.assignment);
    else
        status = cmd_grade(&o, &env, &p);
    profile_free(&p);
    return status;
}
