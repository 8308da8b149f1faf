/* hidden_profile.c: the vg-hidden-profile program behind
 * fixtures/hidden/profile.json, the hidden checks' seeds and knobs. For
 * every hidden entry of a course profile it draws as many seeds as its
 * visible twin has (so each twin keeps its twin's per-case false-fail
 * rates), reproducibly from --seed (HIDDEN_SEED, which a course changes),
 * none of them a seed the public profile names, and copies the visible
 * twin's params. Not the grader's loader (grader/driver/profile.c validates the
 * result: `vaegrade list --hidden`).
 * Usage: vg-hidden-profile --profile FILE --seed N --out FILE */
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"
#include "vg_error.h"

#define HIDDEN_FORMAT "vaegrade-hidden-profile"
#define HIDDEN_VERSION 1
/* Hidden seeds are drawn in [2^20, 2^53]: above every small seed a human
 * would write (the thresholds' 0-19, pretraining's 0, the profile's
 * hundreds and thousands), and within the profile's 2^53 limit. */
#define SEED_LO (1ull << 20)
#define SEED_HI (1ull << 53)
#define MAX_SEEDS 4096

typedef struct seed_set {
    size_t n;
    double v[MAX_SEEDS];
} seed_set_t;

static int seed_in(const seed_set_t *s, double x)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->v[i] == x)
            return 1;
    return 0;
}

static int seed_add(seed_set_t *s, double x)
{
    if (s->n == MAX_SEEDS)
        return vg_error_set("more than %d seeds", MAX_SEEDS);
    s->v[s->n++] = x;
    return VG_OK;
}

/* Every seed the public profile names (defaults and entries). */
static int public_seeds(seed_set_t *s, const cJSON *prof)
{
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(prof, "defaults");
    const cJSON *it, *x;
    cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(d, "seeds"))
        if (seed_add(s, x->valuedouble) != VG_OK)
            return VG_ERR;
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(prof, "checks"))
        cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(it, "seeds"))
            if (seed_add(s, x->valuedouble) != VG_OK)
                return VG_ERR;
    return VG_OK;
}

static const cJSON *entry_by_id(const cJSON *prof, const char *id)
{
    const cJSON *it;
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(prof, "checks"))
        if (cJSON_IsString(cJSON_GetObjectItemCaseSensitive(it, "id")) &&
            strcmp(cJSON_GetObjectItemCaseSensitive(it, "id")->valuestring, id) == 0)
            return it;
    return NULL;
}

/* The hidden entry of the overlay for hidden entry h of prof. */
static int hidden_entry(cJSON *out, const cJSON *prof, const cJSON *h, rng_t *rng,
                        seed_set_t *taken)
{
    const char *id = cJSON_GetObjectItemCaseSensitive(h, "id")->valuestring;
    const cJSON *check = cJSON_GetObjectItemCaseSensitive(h, "check");
    const cJSON *twin = entry_by_id(prof, cJSON_IsString(check) ? check->valuestring : id);
    if (twin == h)
        twin = NULL;   /* a catalogue check made hidden: no visible twin */
    const cJSON *seeds = cJSON_GetObjectItemCaseSensitive(twin, "seeds");
    if (!seeds)
        seeds = cJSON_GetObjectItemCaseSensitive(
            cJSON_GetObjectItemCaseSensitive(prof, "defaults"), "seeds");
    int n = seeds ? cJSON_GetArraySize(seeds) : 1;
    cJSON *e = cJSON_CreateObject();
    cJSON_AddStringToObject(e, "id", id);
    cJSON *arr = cJSON_AddArrayToObject(e, "seeds");
    for (int i = 0; i < n; i++) {
        double s;
        do
            s = (double)(SEED_LO + rng_below(rng, SEED_HI - SEED_LO + 1));
        while (seed_in(taken, s));
        if (seed_add(taken, s) != VG_OK) {
            cJSON_Delete(e);
            return VG_ERR;
        }
        /* Written as integers: cJSON's %.15g would print 8788199755849360
         * as 8.78819975584936e+15 (exact, but not a seed one can read). */
        char digits[24];
        snprintf(digits, sizeof digits, "%llu", (unsigned long long)s);
        cJSON_AddItemToArray(arr, cJSON_CreateRaw(digits));
    }
    const cJSON *params = cJSON_GetObjectItemCaseSensitive(twin, "params");
    if (params)
        cJSON_AddItemToObject(e, "params", cJSON_Duplicate(params, 1));
    cJSON_AddItemToArray(out, e);
    return VG_OK;
}

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        vg_error_set("cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 20;
    char *buf = malloc(cap + 1);
    size_t n = buf ? fread(buf, 1, cap + 1, f) : 0;
    fclose(f);
    if (!buf || n > cap) {
        free(buf);
        vg_error_set("%s: unreadable or larger than %zu bytes", path, cap);
        return NULL;
    }
    buf[n] = '\0';
    return buf;
}

static int make(const char *prof_path, unsigned long long seed, const char *out_path)
{
    char *text = read_all(prof_path);
    if (!text)
        return VG_ERR;
    cJSON *prof = cJSON_Parse(text);
    free(text);
    if (!prof)
        return vg_error_set("%s is not valid JSON", prof_path);
    static seed_set_t taken;
    int rc = public_seeds(&taken, prof);
    rng_t rng;
    rng_seed(&rng, seed);
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "format", HIDDEN_FORMAT);
    cJSON_AddNumberToObject(doc, "version", HIDDEN_VERSION);
    cJSON_AddStringToObject(doc, "made_by", "make fixtures-hidden (tools/hidden_profile.c)");
    cJSON_AddStringToObject(doc, "profile", prof_path);
    char digits[24];
    snprintf(digits, sizeof digits, "%llu", seed);
    cJSON_AddRawToObject(doc, "hidden_seed", digits);
    cJSON_AddStringToObject(doc, "how", "per hidden entry, as many seeds as its "
                            "visible twin has, drawn uniformly in [2^20, 2^53] "
                            "from hidden_seed and none a seed the profile names; "
                            "the visible twin's params");
    cJSON *checks = cJSON_AddArrayToObject(doc, "checks");
    const cJSON *it;
    int n_hidden = 0;
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(prof, "checks")) {
        const cJSON *vis = cJSON_GetObjectItemCaseSensitive(it, "visibility");
        if (rc != VG_OK || !cJSON_IsString(vis) || strcmp(vis->valuestring, "hidden"))
            continue;
        if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(it, "id")))
            rc = vg_error_set("%s: a hidden entry without a string \"id\"", prof_path);
        else
            rc = hidden_entry(checks, prof, it, &rng, &taken);
        n_hidden++;
    }
    if (rc == VG_OK && n_hidden == 0)
        rc = vg_error_set("%s has no hidden check", prof_path);
    char *json = rc == VG_OK ? cJSON_Print(doc) : NULL;
    FILE *f = json ? fopen(out_path, "w") : NULL;
    if (rc == VG_OK && (!f || fprintf(f, "%s\n", json) < 0))
        rc = vg_error_set("cannot write %s: %s", out_path, strerror(errno));
    if (f && fclose(f) != 0 && rc == VG_OK)
        rc = vg_error_set("cannot write %s: %s", out_path, strerror(errno));
    free(json);
    cJSON_Delete(doc);
    cJSON_Delete(prof);
    return rc;
}

int main(int argc, char **argv)
{
    const char *prof = NULL, *out = NULL, *seed_s = NULL;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--profile"))
            prof = argv[i + 1];
        else if (!strcmp(argv[i], "--seed"))
            seed_s = argv[i + 1];
        else if (!strcmp(argv[i], "--out"))
            out = argv[i + 1];
    }
    char *end = NULL;
    errno = 0;
    unsigned long long seed = seed_s ? strtoull(seed_s, &end, 10) : 0;
    if (!prof || !out || !seed_s || errno || *end || seed_s[0] == '-' || argc != 7) {
        fprintf(stderr, "usage: vg-hidden-profile --profile FILE --seed N --out FILE\n"
                        "  N: a non-negative integer (HIDDEN_SEED)\n");
        return 1;
    }
    if (make(prof, seed, out) != VG_OK) {
        fprintf(stderr, "vg-hidden-profile: %s\n", vg_error_last());
        return 1;
    }
    return 0;
}
