/* checks.c: the catalogue as one list (checks.h), gathered from the
 * selected assignment's checks_*.c tables in report order, and the knob lookup every evaluation
 * uses. */
#include "driver/checks.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver/profile.h"

#define CHECKS_MAX 128

/* Report order is the homework's: by the id's number, part then item
 * ("1.9" before "1.10" before "2.1"), whatever table a check is in. */
static int by_number(const void *a, const void *b)
{
    const char *x = (*(const check_def_t *const *)a)->id;
    const char *y = (*(const check_def_t *const *)b)->id;
    unsigned long xp = strtoul(x, NULL, 10), yp = strtoul(y, NULL, 10);
    if (xp != yp)
        return xp < yp ? -1 : 1;
    const char *xd = strchr(x, '.'), *yd = strchr(y, '.');
    unsigned long xi = xd ? strtoul(xd + 1, NULL, 10) : 0;
    unsigned long yi = yd ? strtoul(yd + 1, NULL, 10) : 0;
    return (xi > yi) - (xi < yi);
}

/* The selected catalogue, gathered and sorted once (checks_use_catalogue
 * runs before any reader; the driver's threads only read). */
static const check_def_t *catalogue[CHECKS_MAX];
static size_t count;

void checks_use_catalogue(const check_table_t *tables, size_t n_tables)
{
    count = 0;
    for (size_t t = 0; t < n_tables; t++)
        for (size_t i = 0; i < *tables[t].n && count < CHECKS_MAX; i++)
            catalogue[count++] = &tables[t].checks[i];
    qsort(catalogue, count, sizeof catalogue[0], by_number);
}

const check_def_t *const *checks_all(size_t *n)
{
    *n = count;
    return catalogue;
}

const check_def_t *checks_find(const char *id)
{
    size_t n;
    const check_def_t *const *all = checks_all(&n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(all[i]->id, id) == 0)
            return all[i];
    return NULL;
}

const char *checks_number_of(const char *id, char *buf, size_t len)
{
    size_t k = strcspn(id, "-");
    snprintf(buf, len, "%.*s", (int)k, id);
    return buf;
}

const char *checks_number(const check_def_t *def, char *buf, size_t len)
{
    return checks_number_of(def->id, buf, len);
}

/* Where def declares knob key, or -1. */
static int param_index(const check_def_t *def, const char *key)
{
    for (int i = 0; i < CHECK_MAX_PARAMS && def->params[i].key; i++)
        if (strcmp(def->params[i].key, key) == 0)
            return i;
    return -1;
}

/* A knob an evaluation asks for must be declared; NaN makes every
 * comparison with it fail, so the catalogue's bug cannot pass quietly
 * (tests/grader grade the reference with every check). */
double case_param(const case_data_t *cd, const char *key)
{
    int i = param_index(cd->def, key);
    if (i < 0)
        return NAN;
    return cd->conf ? cd->conf->params[i] : cd->def->params[i].def;
}

double conf_param(const check_conf_t *c, const char *key)
{
    int i = param_index(c->def, key);
    return i < 0 ? NAN : c->params[i];
}
