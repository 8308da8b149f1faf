/* profile.c: loads and validates a course profile (profile.h) with cJSON.
 * Every error names the file, the check (by index and id) and the field,
 * and says what was expected. */
#include "driver/profile.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "driver/ref_cache.h"
#include "vg_error.h"

/* A profile that says nothing gets these (the default profile states its
 * own; grader/README.md "The course profile" derives them). */
#define DEFAULT_TIMEOUT_FACTOR 12
#define DEFAULT_TIMEOUT_FLOOR_S 1

static const char *const vis_names[] = {
    "visible", "hidden", "after_due_date", "after_published",
};

const char *visibility_name(visibility_t v)
{
    return (size_t)v < sizeof vis_names / sizeof vis_names[0] ? vis_names[v] : "?";
}

static char *read_text(const char *path, size_t limit, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        vg_error_set("profile %s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    char *buf = malloc(limit + 1);
    size_t n = buf ? fread(buf, 1, limit + 1, f) : 0;
    fclose(f);
    if (!buf) {
        vg_error_set("profile %s: no memory", path);
        return NULL;
    }
    if (n > limit) {
        free(buf);
        vg_error_set("profile %s: larger than %zu bytes", path, limit);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* A number field in [lo, hi]; absent leaves *out. */
static int get_number(const cJSON *obj, const char *key, double lo, double hi,
                      double *out, const char *where)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!it)
        return VG_OK;
    if (!cJSON_IsNumber(it) || !(it->valuedouble >= lo && it->valuedouble <= hi))
        return vg_error_set("%s: \"%s\" must be a number in [%g, %g]", where, key, lo, hi);
    *out = it->valuedouble;
    return VG_OK;
}

static int only_keys(const cJSON *obj, const char *const *allowed, const char *where)
{
    for (const cJSON *it = obj->child; it; it = it->next) {
        int ok = 0;
        for (size_t i = 0; allowed[i]; i++)
            ok |= strcmp(it->string, allowed[i]) == 0;
        if (!ok) {
            char list[256] = "";
            for (size_t i = 0; allowed[i]; i++)
                snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
                         i ? ", " : "", allowed[i]);
            return vg_error_set("%s: unknown field \"%s\" (known: %s)", where,
                                it->string, list);
        }
    }
    return VG_OK;
}

static int get_seeds(const cJSON *obj, check_conf_t *c, const char *where)
{
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(obj, "seeds");
    if (!s)
        return VG_OK;
    int n = cJSON_GetArraySize(s);
    if (!cJSON_IsArray(s) || n < 1 || n > PROFILE_MAX_SEEDS)
        return vg_error_set("%s: \"seeds\" must be an array of 1 to %d integers",
                            where, PROFILE_MAX_SEEDS);
    c->n_seeds = 0;
    for (const cJSON *it = s->child; it; it = it->next) {
        double v = it->valuedouble;
        if (!cJSON_IsNumber(it) || v < 0 || v > 9007199254740992.0 || v != floor(v))
            return vg_error_set("%s: seeds must be integers in [0, 2^53]", where);
        c->seeds[c->n_seeds++] = (uint64_t)v;
    }
    return VG_OK;
}

static int get_params(const cJSON *obj, check_conf_t *c, const char *where)
{
    const cJSON *ps = cJSON_GetObjectItemCaseSensitive(obj, "params");
    if (!ps)
        return VG_OK;
    if (!cJSON_IsObject(ps))
        return vg_error_set("%s: \"params\" must be an object", where);
    const check_def_t *d = c->def;
    for (const cJSON *it = ps->child; it; it = it->next) {
        size_t i = 0;
        while (i < CHECK_MAX_PARAMS && d->params[i].key && strcmp(d->params[i].key, it->string))
            i++;
        if (i == CHECK_MAX_PARAMS || !d->params[i].key) {
            char list[256] = "";
            for (size_t j = 0; j < CHECK_MAX_PARAMS && d->params[j].key; j++)
                snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
                         j ? ", " : "", d->params[j].key);
            return vg_error_set("%s: unknown param \"%s\" (this check knows: %s)",
                                where, it->string, list[0] ? list : "none");
        }
        const check_param_t *p = &d->params[i];
        if (!cJSON_IsNumber(it) || !(it->valuedouble >= p->lo && it->valuedouble <= p->hi))
            return vg_error_set("%s: param \"%s\" (%s) must be a number in [%g, %g]",
                                where, p->key, p->what, p->lo, p->hi);
        c->params[i] = it->valuedouble;
    }
    return VG_OK;
}

/* timeout_s (absolute seconds) was replaced: said, rather than "unknown". */
static int no_timeout_s(const cJSON *obj, const char *where)
{
    if (cJSON_GetObjectItemCaseSensitive(obj, "timeout_s"))
        return vg_error_set("%s: \"timeout_s\" is gone: a case's budget is CPU time, "
                            "max(timeout_floor_s, timeout_factor x the reference's "
                            "own time for that case on this machine); set those "
                            "(grader/README.md, \"The course profile\")", where);
    return VG_OK;
}

static int get_timeouts(const cJSON *obj, check_conf_t *c, const char *where)
{
    return get_number(obj, "timeout_factor", PROFILE_MIN_TIMEOUT_FACTOR, 1000,
                      &c->timeout_factor, where) ||
           get_number(obj, "timeout_floor_s", 0.5, 3600, &c->timeout_floor_s, where)
           ? VG_ERR : VG_OK;
}

static int parse_check(const cJSON *obj, check_conf_t *c, const char *where,
                       const check_conf_t *defaults)
{
    static const char *const keys[] = {
        "id", "check", "points", "bonus", "visibility", "timeout_factor",
        "timeout_floor_s", "memory_mib", "seeds", "params", "notes", NULL,
    };
    if (no_timeout_s(obj, where) || only_keys(obj, keys, where))
        return VG_ERR;
    c->points = 0;
    c->visibility = VIS_VISIBLE;
    c->timeout_factor = defaults->timeout_factor;
    c->timeout_floor_s = defaults->timeout_floor_s;
    c->memory_mib = defaults->memory_mib;
    c->n_seeds = defaults->n_seeds;
    memcpy(c->seeds, defaults->seeds, sizeof c->seeds);
    for (size_t i = 0; i < CHECK_MAX_PARAMS && c->def->params[i].key; i++)
        c->params[i] = c->def->params[i].def;
    if (!cJSON_GetObjectItemCaseSensitive(obj, "points"))
        return vg_error_set("%s: \"points\" is required", where);
    if (get_number(obj, "points", 0, 1000, &c->points, where) ||
        get_timeouts(obj, c, where) ||
        get_number(obj, "memory_mib", 64, 65536, &c->memory_mib, where) ||
        get_seeds(obj, c, where) || get_params(obj, c, where))
        return VG_ERR;
    const cJSON *bonus = cJSON_GetObjectItemCaseSensitive(obj, "bonus");
    if (bonus && !cJSON_IsBool(bonus))
        return vg_error_set("%s: \"bonus\" must be true or false", where);
    c->bonus = cJSON_IsTrue(bonus);
    const cJSON *vis = cJSON_GetObjectItemCaseSensitive(obj, "visibility");
    if (vis) {
        size_t i = 0, nv = sizeof vis_names / sizeof vis_names[0];
        while (i < nv && !(cJSON_IsString(vis) && strcmp(vis->valuestring, vis_names[i]) == 0))
            i++;
        if (i == nv)
            return vg_error_set("%s: \"visibility\" must be one of visible, hidden, "
                                "after_due_date, after_published", where);
        c->visibility = (visibility_t)i;
    }
    /* The profile ships to students; a hidden check's seeds and knobs do
     * not: they come from the hidden profile, and no public seed stands in
     * for them. */
    if (c->visibility == VIS_HIDDEN) {
        if (cJSON_GetObjectItemCaseSensitive(obj, "seeds") ||
            cJSON_GetObjectItemCaseSensitive(obj, "params"))
            return vg_error_set("%s: a hidden check takes its \"seeds\" and "
                                "\"params\" from the hidden profile "
                                "(fixtures/hidden/profile.json, which the student "
                                "release leaves out), never from this file", where);
        c->n_seeds = 0;
    }
    return VG_OK;
}

/* One listed entry before it is parsed: which catalogue check it runs,
 * and where it goes in the report. */
typedef struct entry {
    const cJSON *obj;
    const char *id;
    const check_def_t *def;
    size_t order;            /* 2 x catalogue index + twin */
    int twin;
} entry_t;

/* An id a result, a file name and --only can carry: letters, digits and
 * ". _ -", shorter than PROFILE_ID_MAX. */
static int id_well_formed(const char *id)
{
    size_t n = strlen(id);
    return n > 0 && n < PROFILE_ID_MAX &&
           strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                      "0123456789._-") == n;
}

static size_t catalogue_index(const check_def_t *const *all, size_t n_all,
                              const char *id)
{
    size_t k = 0;
    while (k < n_all && strcmp(all[k]->id, id))
        k++;
    return k;
}

/* checks[idx]: an entry of the catalogue ("id"), or a twin of one ("id"
 * its own, "check" the catalogue's). */
static int entry_read(entry_t *e, const cJSON *it, int idx,
                      const check_def_t *const *all, size_t n_all, const char *where)
{
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(it, "id");
    if (!cJSON_IsObject(it) || !cJSON_IsString(id))
        return vg_error_set("%s: checks[%d] must be an object with a string \"id\"",
                            where, idx);
    e->obj = it;
    e->id = id->valuestring;
    const cJSON *check = cJSON_GetObjectItemCaseSensitive(it, "check");
    if (check && !cJSON_IsString(check))
        return vg_error_set("%s: checks[%d] (%s): \"check\" must be the id of a "
                            "catalogue check (vaegrade list shows them)", where,
                            idx, e->id);
    e->twin = check != NULL;
    const char *runs = e->twin ? check->valuestring : e->id;
    size_t k = catalogue_index(all, n_all, runs);
    if (k == n_all)
        return vg_error_set("%s: checks[%d]: no check \"%s\" in the catalogue "
                            "(vaegrade list shows them)", where, idx, runs);
    if (e->twin && catalogue_index(all, n_all, e->id) < n_all)
        return vg_error_set("%s: checks[%d]: a twin of %s needs an id of its own, "
                            "not the catalogue's \"%s\" (e.g. \"H%s\")", where,
                            idx, runs, e->id, runs);
    if (!id_well_formed(e->id))
        return vg_error_set("%s: checks[%d]: id \"%s\" must be 1 to %d letters, "
                            "digits, '.', '_' or '-'", where, idx, e->id,
                            PROFILE_ID_MAX - 1);
    e->def = all[k];
    e->order = 2 * k + (size_t)e->twin;
    return VG_OK;
}

static int parse(profile_t *p, const cJSON *root)
{
    static const char *const top[] = {
        "vaegrade_profile", "name", "compile", "defaults", "checks", "notes", NULL,
    };
    char where[PATH_MAX + 64];
    snprintf(where, sizeof where, "profile %s", p->path);
    if (!cJSON_IsObject(root))
        return vg_error_set("%s: not a JSON object", where);
    if (only_keys(root, top, where))
        return VG_ERR;
    const cJSON *ver = cJSON_GetObjectItemCaseSensitive(root, "vaegrade_profile");
    if (!cJSON_IsNumber(ver) || ver->valuedouble != PROFILE_VERSION)
        return vg_error_set("%s: \"vaegrade_profile\" must be %d (the format version)",
                            where, PROFILE_VERSION);
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(root, "name");
    snprintf(p->name, sizeof p->name, "%s", cJSON_IsString(name) ? name->valuestring : "");

    p->compile_timeout_s = 60;
    double max_kib = 256;
    const cJSON *comp = cJSON_GetObjectItemCaseSensitive(root, "compile");
    if (comp) {
        static const char *const ck[] = { "timeout_s", "max_file_kib", NULL };
        char w[PATH_MAX + 80];
        snprintf(w, sizeof w, "%s: compile", where);
        if (!cJSON_IsObject(comp))
            return vg_error_set("%s: must be an object", w);
        if (only_keys(comp, ck, w) ||
            get_number(comp, "timeout_s", 1, 3600, &p->compile_timeout_s, w) ||
            get_number(comp, "max_file_kib", 1, 65536, &max_kib, w))
            return VG_ERR;
    }
    p->max_file_bytes = (size_t)(max_kib * 1024);

    check_conf_t defaults;
    memset(&defaults, 0, sizeof defaults);
    defaults.timeout_factor = DEFAULT_TIMEOUT_FACTOR;
    defaults.timeout_floor_s = DEFAULT_TIMEOUT_FLOOR_S;
    defaults.memory_mib = 1024;
    defaults.n_seeds = 1;
    defaults.seeds[0] = 1;
    const cJSON *def = cJSON_GetObjectItemCaseSensitive(root, "defaults");
    if (def) {
        static const char *const dk[] = { "timeout_factor", "timeout_floor_s",
                                          "memory_mib", "seeds", NULL };
        char w[PATH_MAX + 80];
        snprintf(w, sizeof w, "%s: defaults", where);
        if (!cJSON_IsObject(def))
            return vg_error_set("%s: must be an object", w);
        if (no_timeout_s(def, w) || only_keys(def, dk, w) ||
            get_timeouts(def, &defaults, w) ||
            get_number(def, "memory_mib", 64, 65536, &defaults.memory_mib, w) ||
            get_seeds(def, &defaults, w))
            return VG_ERR;
    }

    const cJSON *checks = cJSON_GetObjectItemCaseSensitive(root, "checks");
    if (!cJSON_IsArray(checks))
        return vg_error_set("%s: \"checks\" must be an array", where);
    size_t n_all;
    const check_def_t *const *all = checks_all(&n_all);
    int n_listed = cJSON_GetArraySize(checks);
    entry_t *ent = calloc((size_t)n_listed + 1, sizeof *ent);
    p->checks = calloc((size_t)n_listed + 1, sizeof *p->checks);
    if (!ent || !p->checks) {
        free(ent);
        return vg_error_set("%s: no memory", where);
    }
    size_t n = 0;
    int rc = VG_OK;
    for (const cJSON *it = checks->child; it && rc == VG_OK; it = it->next, n++)
        rc = entry_read(&ent[n], it, (int)n, all, n_all, where);
    for (size_t i = 0; i < n && rc == VG_OK; i++)
        for (size_t j = 0; j < i && rc == VG_OK; j++)
            if (strcmp(ent[i].id, ent[j].id) == 0)
                rc = vg_error_set("%s: checks[%zu]: \"%s\" is listed twice", where,
                                  i, ent[i].id);
    /* Catalogue order, whatever the file's; a twin right after its check
     * (insertion sort: stable, and a profile is a few dozen entries). */
    for (size_t i = 1; i < n && rc == VG_OK; i++)
        for (size_t j = i; j > 0 && ent[j - 1].order > ent[j].order; j--) {
            entry_t t = ent[j];
            ent[j] = ent[j - 1];
            ent[j - 1] = t;
        }
    for (size_t i = 0; i < n && rc == VG_OK; i++) {
        check_conf_t *c = &p->checks[p->n_checks];
        c->def = ent[i].def;
        c->twin = ent[i].twin;
        snprintf(c->id, sizeof c->id, "%s", ent[i].id);
        char w[PATH_MAX + 160];
        snprintf(w, sizeof w, "%s: check %s", where, c->id);
        rc = parse_check(ent[i].obj, c, w, &defaults);
        if (rc == VG_OK)
            p->n_checks++;
    }
    free(ent);
    return rc;
}

int profile_load(profile_t *p, const char *path)
{
    memset(p, 0, sizeof *p);
    snprintf(p->path, sizeof p->path, "%s", path);
    size_t len;
    char *text = read_text(path, 1 << 20, &len);
    if (!text)
        return VG_ERR;
    ref_cache_hash_hex(p->hash, text, len);
    cJSON *root = cJSON_Parse(text);
    int rc;
    if (!root) {
        const char *at = cJSON_GetErrorPtr();
        size_t off = at && at >= text ? (size_t)(at - text) : 0;
        size_t line = 1;
        for (size_t i = 0; i < off; i++)
            line += text[i] == '\n';
        rc = vg_error_set("profile %s: not valid JSON near line %zu", path, line);
    } else {
        rc = parse(p, root);
    }
    cJSON_Delete(root);
    free(text);
    if (rc != VG_OK)
        profile_free(p);
    return rc;
}

/* The entry of p that runs seed s in public (a check that is not
 * hidden), or NULL. */
static const check_conf_t *public_seed_of(const profile_t *p, uint64_t s)
{
    for (size_t i = 0; i < p->n_checks; i++)
        for (size_t k = 0; p->checks[i].visibility != VIS_HIDDEN &&
                           k < p->checks[i].n_seeds; k++)
            if (p->checks[i].seeds[k] == s)
                return &p->checks[i];
    return NULL;
}

int profile_overlay(profile_t *p, const char *path)
{
    size_t len;
    char *text = read_text(path, 1 << 20, &len);
    if (!text)
        return VG_ERR;
    cJSON *root = cJSON_Parse(text);
    free(text);
    int rc = VG_OK;
    const cJSON *checks = root ? cJSON_GetObjectItemCaseSensitive(root, "checks") : NULL;
    if (!cJSON_IsArray(checks))
        rc = vg_error_set("hidden profile %s: expected {\"checks\": [...]}", path);
    int idx = 0;
    for (const cJSON *it = checks ? checks->child : NULL; it && rc == VG_OK; it = it->next, idx++) {
        static const char *const keys[] = { "id", "seeds", "params", NULL };
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(it, "id");
        char w[PATH_MAX + 64];
        snprintf(w, sizeof w, "hidden profile %s: checks[%d]", path, idx);
        check_conf_t *c = cJSON_IsString(id) ? (check_conf_t *)profile_find(p, id->valuestring) : NULL;
        if (!c)
            rc = vg_error_set("%s: no check %s in the profile", w,
                              cJSON_IsString(id) ? id->valuestring : "(no id)");
        /* A visible check grades the same locally and officially. */
        else if (c->visibility != VIS_HIDDEN)
            rc = vg_error_set("%s: %s is not hidden in the profile %s: the hidden "
                              "profile sets only hidden checks", w, c->id, p->path);
        else if (only_keys(it, keys, w) || get_seeds(it, c, w) || get_params(it, c, w))
            rc = VG_ERR;
    }
    cJSON_Delete(root);
    /* Every hidden check has seeds of its own, none of them printed by a
     * local grade. */
    for (size_t i = 0; i < p->n_checks && rc == VG_OK; i++) {
        const check_conf_t *c = &p->checks[i];
        if (c->visibility != VIS_HIDDEN)
            continue;
        if (c->n_seeds == 0)
            rc = vg_error_set("hidden profile %s: gives hidden check %s no seeds "
                              "(make fixtures-hidden writes one for every hidden "
                              "check of the profile)", path, c->id);
        for (size_t k = 0; k < c->n_seeds && rc == VG_OK; k++) {
            const check_conf_t *pub = public_seed_of(p, c->seeds[k]);
            if (pub)
                rc = vg_error_set("hidden profile %s: hidden check %s's seed %llu is "
                                  "also a public seed (of %s), whose values a local "
                                  "grade prints", path, c->id,
                                  (unsigned long long)c->seeds[k], pub->id);
        }
    }
    return rc;
}

void profile_free(profile_t *p)
{
    free(p->checks);
    p->checks = NULL;
    p->n_checks = 0;
}

const check_conf_t *profile_find(const profile_t *p, const char *id)
{
    for (size_t i = 0; i < p->n_checks; i++)
        if (strcmp(p->checks[i].id, id) == 0)
            return &p->checks[i];
    return NULL;
}

double profile_total_points(const profile_t *p)
{
    double t = 0;
    for (size_t i = 0; i < p->n_checks; i++)
        t += p->checks[i].bonus ? 0 : p->checks[i].points;
    return t;
}

double profile_bonus_points(const profile_t *p)
{
    double t = 0;
    for (size_t i = 0; i < p->n_checks; i++)
        t += p->checks[i].bonus ? p->checks[i].points : 0;
    return t;
}

double profile_hidden_points(const profile_t *p, int bonus)
{
    double t = 0;
    for (size_t i = 0; i < p->n_checks; i++)
        if (p->checks[i].visibility == VIS_HIDDEN && !p->checks[i].bonus == !bonus)
            t += p->checks[i].points;
    return t;
}
