/* vae_train.c: the vae-train program, CS236's run_vae / run_gmvae /
 * run_ssvae / run_fsvae in C. Trains with whichever bounds it is linked with
 * (the reference, or a submission built by `make train`), evaluates, and
 * writes the checkpoint, the sample grid, the loss curve (loss.png) and
 * summary.json into --out.
 * The loop and the evaluation live in the framework (train.h). */
#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "assignment.h"
#include "checkpoint.h"
#include "config.h"
#include "loss_curve.h"
#include "nn.h"
#include "png_grid.h"
#include "progress.h"
#include "train.h"
#include "train_bounds.h"
#include "train_cli.h"
#include "vg_error.h"

#define PATH_MAX_LEN 4096
/* The sample grid's seed: fixed, so two runs' grids differ only by their
 * weights. */
#define SAMPLE_SEED 0

/* mkdir -p: each prefix in turn, an existing directory being fine. */
static int make_dirs(const char *path)
{
    char buf[PATH_MAX_LEN];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf)
        return vg_error_set("--out path too long");
    for (char *p = buf + 1; ; p++) {
        char c = *p;
        if (c != '/' && c != '\0')
            continue;
        *p = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST)
            return vg_error_set("cannot create %s: %s", buf, strerror(errno));
        *p = c;
        if (c == '\0')
            break;
    }
    return VG_OK;
}

static int join(char *out, const char *dir, const char *name)
{
    if (snprintf(out, PATH_MAX_LEN, "%s/%s", dir, name) >= PATH_MAX_LEN)
        return vg_error_set("path too long: %s/%s", dir, name);
    return VG_OK;
}

static void print_report(const eval_report_t *r, model_kind_t kind,
                         size_t n_subset)
{
    const bound_terms_t *e = &r->elbo;
    printf("test subset (%zu digits, %d repeats): NELBO %.3f", n_subset,
           EVAL_REPEATS, e->nelbo);
    if (kind == MODEL_SSVAE)
        printf("  KL_y %.3f  KL_z %.3f", e->kl_y, e->kl_z);
    else if (kind == MODEL_FSVAE)
        printf("  KL_z %.3f", e->kl_z);
    else
        printf("  KL %.3f", e->kl);
    printf("  Rec %.3f\n", e->rec);
    for (size_t i = 0; i < r->n_iw; i++)
        printf("negative IWAE-%zu: %.3f  (%zu repeats, %.2f s)\n", r->iw[i],
               r->niwae[i], eval_iwae_repeats(r->iw[i]), r->niwae_s[i]);
    if (r->has_accuracy)
        printf("test split classification accuracy: %.4f\n", r->accuracy);
}

static int write_summary(const char *path, const train_options_t *o,
                         trainer_t *t, const eval_report_t *r,
                         double train_s, const char *ckpt, const char *png,
                         const char *loss_png)
{
    model_kind_t kind = o->kind;
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return vg_error_set("summary.json: out of memory");
    cJSON_AddStringToObject(root, "model", config_kind_name(kind));
    cJSON_AddNumberToObject(root, "iters", (double)t->step);
    cJSON_AddNumberToObject(root, "seed", (double)o->seed);
    cJSON_AddNumberToObject(root, "batch", (double)t->batch);
    cJSON_AddNumberToObject(root, "threads", o->threads);
    cJSON_AddNumberToObject(root, "ms_per_iter", trainer_ms_per_iter(t));
    cJSON_AddNumberToObject(root, "train_seconds", train_s);
    cJSON_AddNumberToObject(root, "running_loss", trainer_running_loss(t));
    if (kind == MODEL_SSVAE)
        cJSON_AddNumberToObject(root, "gen_weight",
                                t->model->cfg.gen_weight);
    cJSON_AddNumberToObject(root, "nelbo", r->elbo.nelbo);
    if (kind == MODEL_VAE || kind == MODEL_GMVAE) {
        cJSON_AddNumberToObject(root, "kl", r->elbo.kl);
    } else {
        cJSON_AddNumberToObject(root, "kl_z", r->elbo.kl_z);
        if (kind == MODEL_SSVAE)
            cJSON_AddNumberToObject(root, "kl_y", r->elbo.kl_y);
    }
    cJSON_AddNumberToObject(root, "rec", r->elbo.rec);
    if (r->n_iw) {
        cJSON *niwae = cJSON_AddObjectToObject(root, "niwae");
        cJSON *secs = cJSON_AddObjectToObject(root, "niwae_seconds");
        for (size_t i = 0; niwae && secs && i < r->n_iw; i++) {
            char key[24];
            snprintf(key, sizeof key, "%zu", r->iw[i]);
            cJSON_AddNumberToObject(niwae, key, r->niwae[i]);
            cJSON_AddNumberToObject(secs, key, r->niwae_s[i]);
        }
    }
    if (r->has_accuracy)
        cJSON_AddNumberToObject(root, "accuracy", r->accuracy);
    cJSON_AddStringToObject(root, "checkpoint", ckpt);
    cJSON_AddStringToObject(root, "samples", png);
    cJSON_AddStringToObject(root, "loss_curve", loss_png);

    int status = VG_OK;
    char *text = cJSON_Print(root);
    FILE *f = text ? fopen(path, "w") : NULL;
    if (!f || fputs(text, f) == EOF || fputc('\n', f) == EOF)
        status = vg_error_set("cannot write %s: %s", path,
                              text ? strerror(errno) : "out of memory");
    if (f && fclose(f) != 0 && status == VG_OK)
        status = vg_error_set("cannot write %s: %s", path, strerror(errno));
    cJSON_free(text);
    cJSON_Delete(root);
    return status;
}

/* The training loop with its display and loss curve; evaluations every
 * eval_every steps leave the timing alone (trainer_step times itself). */
static int train_loop(trainer_t *t, const train_options_t *o,
                      const train_bounds_t *bounds, const train_data_t *data,
                      loss_curve_t *curve)
{
    progress_t p;
    progress_init(&p, stderr, -1, config_kind_name(o->kind), o->iters);
    for (size_t i = 1; i <= o->iters; i++) {
        if (trainer_step(t) != VG_OK) {
            progress_break(&p);
            return VG_ERR;
        }
        progress_update(&p, i, trainer_running_loss(t));
        loss_curve_add_train(curve, i, trainer_running_loss(t));
        if (o->eval_every && i % o->eval_every == 0 && i < o->iters) {
            eval_report_t r;
            if (train_evaluate(&r, t->model, bounds, data, 0) != VG_OK) {
                progress_break(&p);
                return VG_ERR;
            }
            loss_curve_add_test(curve, i, r.elbo.nelbo);
            if (r.has_accuracy)
                progress_note(&p, "iter %zu: test NELBO %.3f  Rec %.3f  "
                              "accuracy %.4f", i, r.elbo.nelbo, r.elbo.rec,
                              r.accuracy);
            else
                progress_note(&p, "iter %zu: test NELBO %.3f  Rec %.3f", i,
                              r.elbo.nelbo, r.elbo.rec);
        }
    }
    progress_finish(&p, o->iters, trainer_running_loss(t));
    return VG_OK;
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) +
           (double)(t1.tv_nsec - t0->tv_nsec) * 1e-9;
}

int main(int argc, char **argv)
{
    train_options_t o;
    if (train_options_parse(&o, argc, argv) != VG_OK) {
        fprintf(stderr, "vae-train: %s\n\n%s", vg_error_last(),
                train_options_usage());
        return 2;
    }
    if (o.help) {
        fputs(train_options_usage(), stdout);
        return 0;
    }

    int status = 1;
    train_data_t data = {0};
    model_t model = {0};
    trainer_t tr = {0};
    loss_curve_t curve = {0};
    double *images = NULL;
    char out_default[PATH_MAX_LEN], ckpt[PATH_MAX_LEN], png[PATH_MAX_LEN],
        loss_png[PATH_MAX_LEN], summary[PATH_MAX_LEN], ckpt_name[64],
        title[128];
    const char *name = config_kind_name(o.kind);

    model_config_t mcfg = config_model_default(o.kind);
    train_config_t tcfg = config_train_default();
    if (o.has_gen_weight)
        mcfg.gen_weight = o.gen_weight;
    if (o.batch)
        tcfg.batch = o.batch;
    snprintf(out_default, sizeof out_default, "runs/%s", name);
    const char *out = o.out_dir ? o.out_dir : out_default;
    snprintf(ckpt_name, sizeof ckpt_name, "%s.ckpt", name);
    if (join(ckpt, out, ckpt_name) != VG_OK ||
        join(png, out, "samples.png") != VG_OK ||
        join(loss_png, out, "loss.png") != VG_OK ||
        join(summary, out, "summary.json") != VG_OK ||
        make_dirs(out) != VG_OK)
        goto cleanup;

    nn_set_threads(o.threads);
    train_bounds_t bounds = train_bounds_linked(o.kind);
    if (train_data_load(&data, o.data_dir) != VG_OK)
        goto cleanup;
    if (data.note[0])
        fprintf(stderr, "vae-train: %s\n", data.note);
    /* the classifier sees the labelled digits in one call */
    size_t labelled = o.kind == MODEL_SSVAE
                          ? tcfg.n_labelled_per_class * mcfg.y_dim : 0;
    size_t max_batch = tcfg.batch > labelled ? tcfg.batch : labelled;
    if (model_create(&model, &mcfg, NN_FLOAT32, max_batch, o.seed) != VG_OK ||
        trainer_create(&tr, &model, &bounds, &data.train, &tcfg, o.seed,
                       o.iters) != VG_OK ||
        loss_curve_create(&curve, o.iters, o.eval_every) != VG_OK)
        goto cleanup;
    snprintf(title, sizeof title, "%s, seed %llu: training loss and test "
             "NELBO", name, (unsigned long long)o.seed);

    printf("vae-train %s: %zu steps, seed %llu, batch %zu, %d thread%s, %zu "
           "training digits\n", name, o.iters, (unsigned long long)o.seed,
           tcfg.batch, o.threads, o.threads == 1 ? "" : "s", data.train.n);
    fflush(stdout);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (train_loop(&tr, &o, &bounds, &data, &curve) != VG_OK) {
        /* The curve up to the failure shows where a run diverged; the
         * training's message is the one reported. */
        char why[1024];
        snprintf(why, sizeof why, "%s", vg_error_last());
        if (curve.n_train > 0 && loss_curve_write(&curve, loss_png, title) == VG_OK)
            fprintf(stderr, "vae-train: the loss curve so far is in %s\n",
                    loss_png);
        vg_error_set("%s", why);
        goto cleanup;
    }
    double train_s = seconds_since(&t0);
    printf("trained in %.1f s: %.3f ms per step (median after the first %d), "
           "running loss %.3f\n", train_s, trainer_ms_per_iter(&tr),
           TRAIN_WARMUP_STEPS, trainer_running_loss(&tr));

    eval_report_t rep;
    if (train_evaluate(&rep, &model, &bounds, &data, 1) != VG_OK)
        goto cleanup;
    print_report(&rep, o.kind, data.subset.n);
    loss_curve_add_test(&curve, tr.step, rep.elbo.nelbo);

    images = malloc(SAMPLE_ROWS * SAMPLE_COLS * mcfg.x_dim * sizeof *images);
    size_t side = (size_t)sqrt((double)mcfg.x_dim);
    if (!images || side * side != mcfg.x_dim) {
        vg_error_set("no sample grid: out of memory, or %zu pixels are not a "
                     "square image", mcfg.x_dim);
        goto cleanup;
    }
    if (checkpoint_save(&model, ckpt, o.seed, tr.step) != VG_OK ||
        sample_grid(images, &model, SAMPLE_SEED) != VG_OK ||
        png_write_grid(png, images, SAMPLE_ROWS, SAMPLE_COLS, side, side) != VG_OK ||
        loss_curve_write(&curve, loss_png, title) != VG_OK ||
        write_summary(summary, &o, &tr, &rep, train_s, ckpt_name,
                      "samples.png", "loss.png") != VG_OK)
        goto cleanup;
    printf("wrote %s, %s, %s, %s\n", ckpt, png, loss_png, summary);
    status = 0;
cleanup:
    if (status)
        fprintf(stderr, "vae-train: %s\n", vg_error_last());
    free(images);
    loss_curve_free(&curve);
    trainer_free(&tr);
    model_free(&model);
    train_data_free(&data);
    return status;
}
