/* shortruns.c: the vg-shortruns program behind fixtures/thresholds.json.
 * Trains the reference from many seeds for a short run each (the length
 * the grader's short-run checks use), evaluates each run with the
 * reference, and writes per model the values, mean, standard deviation and
 * worst, with a header saying how and by what command they were made.
 * Runs are spread over --jobs processes; the file does not depend on it.
 * Not the grader's check (that lives in grader/); this only measures. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "assignment.h"
#include "config.h"
#include "nn.h"
#include "train.h"
#include "train_bounds.h"
#include "vg_error.h"

#define THRESHOLDS_FORMAT "vaegrade-thresholds"
#define THRESHOLDS_VERSION 1
#define MAX_SEEDS 1000
#define MAX_JOBS 16

/* Per model the metrics a short run is judged by: the test-subset NELBO
 * for every model (it shows a broken bound at once), and for ssvae the
 * classification accuracy, its own figure of merit. */
#define MAX_METRICS 2
enum { METRIC_NELBO, METRIC_ACCURACY };

typedef struct run_kind {
    model_kind_t kind;
    size_t iters;
    size_t n_metrics;
    int metrics[MAX_METRICS];
} run_kind_t;

static run_kind_t kinds[] = {
    {MODEL_VAE, 0, 1, {METRIC_NELBO}},
    {MODEL_GMVAE, 0, 1, {METRIC_NELBO}},
    {MODEL_SSVAE, 0, 2, {METRIC_ACCURACY, METRIC_NELBO}},
};
#define N_KINDS (sizeof kinds / sizeof kinds[0])

/* One short run: the reference trains from `seed` and then measures each
 * metric of rk: the test-subset NELBO (EVAL_REPEATS repeats, EVAL_SEED),
 * the test split's classification accuracy. values (MAX_METRICS). */
static int short_run(double *values, const run_kind_t *rk, uint64_t seed,
                     const train_data_t *data)
{
    model_t m = {0};
    trainer_t t = {0};
    int status = VG_ERR;
    model_config_t mcfg = config_model_default(rk->kind);
    train_config_t tcfg = config_train_default();
    train_bounds_t b = train_bounds_linked(rk->kind);
    size_t labelled = rk->kind == MODEL_SSVAE
                          ? tcfg.n_labelled_per_class * mcfg.y_dim : 0;
    size_t max_batch = tcfg.batch > labelled ? tcfg.batch : labelled;
    if (model_create(&m, &mcfg, NN_FLOAT32, max_batch, seed) != VG_OK ||
        trainer_create(&t, &m, &b, &data->train, &tcfg, seed, rk->iters) !=
            VG_OK)
        goto cleanup;
    for (size_t i = 0; i < rk->iters; i++)
        if (trainer_step(&t) != VG_OK)
            goto cleanup;
    status = VG_OK;
    for (size_t k = 0; k < rk->n_metrics && status == VG_OK; k++) {
        if (rk->metrics[k] == METRIC_ACCURACY) {
            status = eval_accuracy(&values[k], &m, data->test.x, data->test.y,
                                   data->test.n);
        } else {
            bound_terms_t terms;
            status = eval_elbo(&terms, &m, &b, data->subset.x, NULL,
                               data->subset.n, EVAL_REPEATS, EVAL_SEED);
            values[k] = terms.nelbo;
        }
    }
cleanup:
    trainer_free(&t);
    model_free(&m);
    return status;
}

/* A worker runs tasks w, w + jobs, ... and writes "task metric value"
 * lines, the value in %a so that it crosses the pipe bit for bit. */
static int worker(int fd, size_t w, size_t jobs, const uint64_t *seeds,
                  size_t n_seeds, const train_data_t *data)
{
    FILE *f = fdopen(fd, "w");
    if (!f)
        return 1;
    for (size_t task = w; task < N_KINDS * n_seeds; task += jobs) {
        double v[MAX_METRICS];
        const run_kind_t *rk = &kinds[task / n_seeds];
        if (short_run(v, rk, seeds[task % n_seeds], data) != VG_OK) {
            fprintf(stderr, "vg-shortruns: %s seed %llu: %s\n",
                    config_kind_name(rk->kind),
                    (unsigned long long)seeds[task % n_seeds], vg_error_last());
            fclose(f);
            return 1;
        }
        for (size_t k = 0; k < rk->n_metrics; k++)
            fprintf(f, "%zu %zu %a\n", task, k, v[k]);
        fflush(f);
    }
    return fclose(f) == 0 ? 0 : 1;
}

/* values (N_KINDS * n_seeds, MAX_METRICS): task-major. */
static int run_all(double *values, size_t jobs, const uint64_t *seeds,
                   size_t n_seeds, const train_data_t *data)
{
    size_t n_tasks = N_KINDS * n_seeds, got = 0, want = 0;
    for (size_t k = 0; k < N_KINDS; k++)
        want += kinds[k].n_metrics * n_seeds;
    int status = VG_OK;
    FILE *in[MAX_JOBS] = {0};
    pid_t pid[MAX_JOBS] = {0};
    for (size_t w = 0; w < jobs; w++) {
        int fds[2];
        if (pipe(fds) != 0)
            return vg_error_set("pipe: %s", strerror(errno));
        fflush(NULL);
        pid[w] = fork();
        if (pid[w] < 0)
            return vg_error_set("fork: %s", strerror(errno));
        if (pid[w] == 0) {
            close(fds[0]);
            for (size_t k = 0; k < w; k++)
                fclose(in[k]);
            _exit(worker(fds[1], w, jobs, seeds, n_seeds, data));
        }
        close(fds[1]);
        in[w] = fdopen(fds[0], "r");
    }
    for (size_t w = 0; w < jobs; w++) {
        size_t task, k;
        double v;
        while (in[w] && fscanf(in[w], "%zu %zu %la", &task, &k, &v) == 3)
            if (task < n_tasks && k < MAX_METRICS) {
                values[task * MAX_METRICS + k] = v;
                got++;
            }
        if (in[w])
            fclose(in[w]);
        int ws;
        if (waitpid(pid[w], &ws, 0) < 0 || !WIFEXITED(ws) ||
            WEXITSTATUS(ws) != 0)
            status = vg_error_set("a worker failed (its message is above)");
    }
    if (status == VG_OK && got != want)
        status = vg_error_set("%zu of %zu figures reported", got, want);
    return status;
}

static const char *metric_name(int metric)
{
    return metric == METRIC_ACCURACY ? "accuracy" : "nelbo";
}

/* Statistics of one metric over the seeds; v (n) with stride MAX_METRICS. */
static cJSON *stats_json(int metric, const double *v, const uint64_t *seeds,
                         size_t n)
{
    int lower_is_better = metric == METRIC_NELBO;
    double mean = 0, ss = 0, worst = v[0], best = v[0];
    for (size_t i = 0; i < n; i++)
        mean += v[i * MAX_METRICS] / (double)n;
    for (size_t i = 0; i < n; i++) {
        double x = v[i * MAX_METRICS];
        ss += (x - mean) * (x - mean);
        worst = (lower_is_better ? x > worst : x < worst) ? x : worst;
        best = (lower_is_better ? x < best : x > best) ? x : best;
    }
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "better", lower_is_better ? "lower" : "higher");
    cJSON_AddStringToObject(o, "evaluated_on",
                            metric == METRIC_ACCURACY
                                ? "the whole test split (t10k, grayscale), "
                                  "classifier argmax"
                                : "the test subset (subset-images), negative "
                                  "ELBO averaged over eval_repeats repeats "
                                  "from eval_seed");
    cJSON_AddNumberToObject(o, "n", (double)n);
    cJSON_AddNumberToObject(o, "mean", mean);
    /* sample standard deviation (n - 1): the spread of a new seed's run */
    cJSON_AddNumberToObject(o, "std", n > 1 ? sqrt(ss / (double)(n - 1)) : 0);
    cJSON_AddNumberToObject(o, "worst", worst);
    cJSON_AddNumberToObject(o, "best", best);
    cJSON *vj = cJSON_AddArrayToObject(o, "values");
    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToArray(vj, cJSON_CreateNumber(v[i * MAX_METRICS]));
    (void)seeds;
    return o;
}

/* runs.<model>: iters and seeds, the first metric's statistics at the top
 * (metric, better, mean, std, worst, ...: what a reader of one figure per
 * model wants), and every metric under "metrics". */
static cJSON *kind_json(const run_kind_t *rk, const double *values,
                        const uint64_t *seeds, size_t n)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "iters", (double)rk->iters);
    cJSON *sj = cJSON_AddArrayToObject(o, "seeds");
    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToArray(sj, cJSON_CreateNumber((double)seeds[i]));
    cJSON_AddStringToObject(o, "metric", metric_name(rk->metrics[0]));
    cJSON *primary = stats_json(rk->metrics[0], values, seeds, n);
    for (cJSON *it = primary ? primary->child : NULL; it; it = it->next)
        cJSON_AddItemToObject(o, it->string, cJSON_Duplicate(it, 1));
    cJSON_Delete(primary);
    cJSON *mj = cJSON_AddObjectToObject(o, "metrics");
    for (size_t k = 0; k < rk->n_metrics; k++)
        cJSON_AddItemToObject(mj, metric_name(rk->metrics[k]),
                              stats_json(rk->metrics[k], values + k, seeds, n));
    return o;
}

static int write_json(const char *path, const char *command,
                      const double *values, const uint64_t *seeds, size_t n)
{
    train_config_t tcfg = config_train_default();
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "format", THRESHOLDS_FORMAT);
    cJSON_AddNumberToObject(root, "version", THRESHOLDS_VERSION);
    cJSON_AddStringToObject(root, "command", command);
    cJSON_AddStringToObject(
        root, "how",
        "For each seed s: model_create(default config, float32, seed s) and "
        "trainer_create(seed s) train the reference for `iters` steps "
        "(batch 100, Adam 1e-3, dynamic binarisation, 1 BLAS thread), then "
        "the reference evaluates the model as `evaluated_on` says. std is "
        "the sample standard deviation over the seeds; worst is the worst "
        "seed. A grader threshold derived from these must say how. The "
        "lengths are SHORT_ITERS_* in the Makefile; fixtures/README.md says "
        "why.");
    cJSON_AddNumberToObject(root, "batch", (double)tcfg.batch);
    cJSON_AddNumberToObject(root, "eval_repeats", EVAL_REPEATS);
    cJSON_AddNumberToObject(root, "eval_seed", EVAL_SEED);
    cJSON *runs = cJSON_AddObjectToObject(root, "runs");
    for (size_t k = 0; k < N_KINDS; k++)
        cJSON_AddItemToObject(runs, config_kind_name(kinds[k].kind),
                              kind_json(&kinds[k],
                                        values + k * n * MAX_METRICS, seeds,
                                        n));
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    if (!text)
        return vg_error_set("out of memory");
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    int ok = f && fputs(text, f) != EOF && fputc('\n', f) != EOF;
    ok = f && fclose(f) == 0 && ok;
    cJSON_free(text);
    if (!ok || rename(tmp, path) != 0)
        return vg_error_set("cannot write %s: %s", path, strerror(errno));
    return VG_OK;
}

static int parse_count(size_t *out, const char *s, const char *what)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s ? s : "", &end, 10);
    if (!s || !*s || *end || errno || v < 1 || s[0] == '-')
        return vg_error_set("%s needs a positive integer, got '%s'", what,
                            s ? s : "");
    *out = (size_t)v;
    return VG_OK;
}

/* --seeds A-B: the seeds A..B inclusive. */
static int parse_seeds(uint64_t *seeds, size_t *n, const char *s)
{
    unsigned long long a, b;
    char tail;
    if (!s || sscanf(s, "%llu-%llu%c", &a, &b, &tail) != 2 || b < a ||
        b - a >= MAX_SEEDS)
        return vg_error_set("--seeds needs A-B with A <= B and at most %d "
                            "seeds, got '%s'", MAX_SEEDS, s ? s : "");
    *n = (size_t)(b - a + 1);
    for (size_t i = 0; i < *n; i++)
        seeds[i] = a + i;
    return VG_OK;
}

int main(int argc, char **argv)
{
    static uint64_t seeds[MAX_SEEDS];
    size_t n_seeds = 0, jobs = 1;
    const char *out = NULL, *data_dir = "fixtures/mnist-full";
    char command[4096] = "";
    size_t used = 0;
    for (int i = 0; i < argc; i++)
        used += (size_t)snprintf(command + used, used < sizeof command
                                                     ? sizeof command - used : 0,
                                 "%s%s", i ? " " : "", argv[i]);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int ok = VG_OK;
        if (!strcmp(a, "--seeds"))
            ok = parse_seeds(seeds, &n_seeds, v);
        else if (!strcmp(a, "--jobs"))
            ok = parse_count(&jobs, v, a);
        else if (!strcmp(a, "--vae-iters"))
            ok = parse_count(&kinds[0].iters, v, a);
        else if (!strcmp(a, "--gmvae-iters"))
            ok = parse_count(&kinds[1].iters, v, a);
        else if (!strcmp(a, "--ssvae-iters"))
            ok = parse_count(&kinds[2].iters, v, a);
        else if (!strcmp(a, "--out"))
            out = v;
        else if (!strcmp(a, "--data"))
            data_dir = v;
        else
            ok = vg_error_set("unknown option '%s'", a);
        if (ok != VG_OK || !v) {
            fprintf(stderr, "vg-shortruns: %s\nusage: vg-shortruns --seeds "
                    "A-B --vae-iters N --gmvae-iters N --ssvae-iters N --out "
                    "FILE [--jobs J] [--data DIR]\n",
                    ok != VG_OK ? vg_error_last() : "missing value");
            return 2;
        }
        i++;
    }
    if (!out || !n_seeds || !kinds[0].iters || !kinds[1].iters ||
        !kinds[2].iters || jobs > MAX_JOBS) {
        fprintf(stderr, "vg-shortruns: --out, --seeds and the three --*-iters "
                "are required; --jobs at most %d\n", MAX_JOBS);
        return 2;
    }
    nn_set_threads(1);
    train_data_t data;
    double *values = calloc(N_KINDS * n_seeds * MAX_METRICS, sizeof *values);
    int status = 1;
    if (!values || train_data_load(&data, data_dir) != VG_OK) {
        fprintf(stderr, "vg-shortruns: %s\n", values ? vg_error_last()
                                                     : "out of memory");
        free(values);
        return 1;
    }
    if (data.note[0])
        fprintf(stderr, "vg-shortruns: %s\n", data.note);
    if (run_all(values, jobs, seeds, n_seeds, &data) == VG_OK &&
        write_json(out, command, values, seeds, n_seeds) == VG_OK) {
        printf("wrote %s (%zu seeds)\n", out, n_seeds);
        status = 0;
    } else {
        fprintf(stderr, "vg-shortruns: %s\n", vg_error_last());
    }
    train_data_free(&data);
    free(values);
    return status;
}
