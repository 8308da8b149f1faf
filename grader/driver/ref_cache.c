/* ref_cache.c: the on-disk cache of runner-ref's results and of the
 * reference's measured cost per case (ref_cache.h).
 * Keys are 128-bit: two 64-bit FNV-1a hashes with different offsets and a
 * final mix, enough against accidental collisions among the few thousand
 * keys a course makes (the cache is the grader's own, never a student's). */
#include "driver/ref_cache.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "driver/hash2.h"
#include "driver/pathfmt.h"
#include "vg_error.h"

#define CACHE_MAGIC "vgrc1"
#define CALIB_MAGIC "vgcal1"
/* The release data's KEY file: the format and the public fixtures' hash. */
#define RELEASE_MAGIC "vgrel1 "

/* The CPU's model name (/proc/cpuinfo): a calibration made on one kind of
 * machine is not taken for another's (an image built elsewhere). */
static void hash_cpu_model(hash2_t *h)
{
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[512];
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "model name", 10) == 0) {
            hash2_bytes(h, line, strlen(line));
            break;
        }
    if (f)
        fclose(f);
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    hash2_bytes(h, &n, sizeof n);
}

void ref_cache_init(ref_cache_t *c, const grade_env_t *env, int results)
{
    memset(c, 0, sizeof *c);
    hash2_t h = HASH2_INIT;
    char fixtures[PATH_MAX];
    if (hash2_file(&h, env->runner_ref) != 0 ||
        pathfmt(fixtures, sizeof fixtures, "%s/fixtures", env->root) ||
        hash2_tree(&h, fixtures) != 0 ||
        pathfmt(c->dir, sizeof c->dir, "%s/ref-cache", env->rel))
        return;
    if (mkdir(c->dir, 0755) != 0 && errno != EEXIST)
        return;
    c->build[0] = h.a;
    c->build[1] = h.b;
    hash_cpu_model(&h);
    c->machine[0] = h.a;
    c->machine[1] = h.b;
    c->enabled = 1;
    c->results = results;
}

/* Temporary names unique among this process's threads. */
static unsigned tmp_counter;

/* Writes bytes under path atomically: a temporary file, then rename. */
static int put_file(const char *path, const char *magic, size_t magic_len,
                    const void *bytes, size_t len)
{
    char tmp[PATH_MAX + 32];
    if (pathfmt(tmp, sizeof tmp, "%s.%ld.%u.tmp", path, (long)getpid(),
                __atomic_fetch_add(&tmp_counter, 1u, __ATOMIC_RELAXED)))
        return VG_ERR;
    FILE *f = fopen(tmp, "wb");
    if (!f)
        return vg_error_set("cannot write %s: %s", tmp, strerror(errno));
    int ok = fwrite(magic, 1, magic_len, f) == magic_len &&
             fwrite(bytes, 1, len, f) == len;
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        unlink(tmp);
        return vg_error_set("cannot write %s", path);
    }
    return VG_OK;
}

int ref_cache_init_release(ref_cache_t *c, const grade_env_t *env, const char *dir,
                           int writable)
{
    memset(c, 0, sizeof *c);
    hash2_t h = { 0xcbf29ce484222325ull, 0x84222325cbf29ce4ull };
    hash2_bytes(&h, RELEASE_MAGIC, sizeof RELEASE_MAGIC);
    static const char *const public_fixtures[] = REF_CACHE_PUBLIC_FIXTURES;
    for (size_t i = 0; public_fixtures[i]; i++) {
        char path[PATH_MAX];
        struct stat st;
        if (pathfmt(path, sizeof path, "%s/fixtures/%s", env->root, public_fixtures[i]))
            return VG_ERR;
        /* stat: a release may hold them by links (the suite's does). */
        if (stat(path, &st) != 0)
            return vg_error_set("%s is missing: the reference data is keyed by "
                                "the public fixtures", path);
        hash2_bytes(&h, public_fixtures[i], strlen(public_fixtures[i]) + 1);
        if ((S_ISDIR(st.st_mode) ? hash2_tree(&h, path) : hash2_file(&h, path)) != 0)
            return vg_error_set("cannot read %s", path);
    }
    char key[40], path[PATH_MAX], text[64] = "";
    snprintf(key, sizeof key, "%016llx%016llx\n", (unsigned long long)h.a,
             (unsigned long long)h.b);
    if (pathfmt(c->dir, sizeof c->dir, "%s", dir) ||
        pathfmt(path, sizeof path, "%s/KEY", dir))
        return VG_ERR;
    if (writable) {
        if (mkdir(dir, 0755) != 0 && errno != EEXIST)
            return vg_error_set("cannot make %s: %s", dir, strerror(errno));
        if (put_file(path, RELEASE_MAGIC, strlen(RELEASE_MAGIC), key, strlen(key)))
            return VG_ERR;
    } else {
        FILE *f = fopen(path, "r");
        size_t n = f ? fread(text, 1, sizeof text - 1, f) : 0;
        if (f)
            fclose(f);
        text[n] = '\0';
        if (!f)
            return vg_error_set("%s is missing: %s is not reference data made by "
                                "make release-data", path, dir);
        if (strncmp(text, RELEASE_MAGIC, strlen(RELEASE_MAGIC)) != 0 ||
            strcmp(text + strlen(RELEASE_MAGIC), key) != 0)
            return vg_error_set("%s was made for other public fixtures than %s/fixtures "
                                "holds (or by another version): a fixture was changed; "
                                "unpack the release again", dir, env->root);
    }
    c->build[0] = c->machine[0] = h.a;
    c->build[1] = c->machine[1] = h.b;
    c->enabled = c->results = c->release = 1;
    c->read_only = !writable;
    c->record_all = writable;
    return VG_OK;
}

static int key_path(const ref_cache_t *c, char *const argv[], int calib,
                    char *path, size_t cap)
{
    hash2_t h = { c->build[0], c->build[1] };
    if (calib)
        h = (hash2_t){ c->machine[0], c->machine[1] };
    for (size_t i = 1; argv[i]; i++) {
        /* A release's key names no path of the machine that made it. */
        if (c->release && strcmp(argv[i], "--fixtures") == 0 && argv[i + 1]) {
            i++;
            continue;
        }
        hash2_bytes(&h, argv[i], strlen(argv[i]) + 1);
    }
    return pathfmt(path, cap, "%s/%016llx%016llx.%s", c->dir,
                   (unsigned long long)h.a, (unsigned long long)h.b,
                   calib ? "cal" : "bin");
}

int ref_cache_has(const ref_cache_t *c, char *const argv[])
{
    char path[PATH_MAX];
    return c->enabled && c->results && !key_path(c, argv, 0, path, sizeof path) &&
           access(path, R_OK) == 0;
}

unsigned char *ref_cache_get(const ref_cache_t *c, char *const argv[],
                             size_t *len)
{
    char path[PATH_MAX];
    if (!c->enabled || !c->results || key_path(c, argv, 0, path, sizeof path))
        return NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    unsigned char *buf = NULL;
    char magic[sizeof CACHE_MAGIC];
    long size = -1;
    if (fread(magic, 1, sizeof magic, f) == sizeof magic &&
        !memcmp(magic, CACHE_MAGIC, sizeof magic) && fseek(f, 0, SEEK_END) == 0)
        size = ftell(f) - (long)sizeof magic;
    if (size >= 0 && fseek(f, (long)sizeof magic, SEEK_SET) == 0 &&
        (buf = malloc((size_t)size + 1)) &&
        fread(buf, 1, (size_t)size, f) != (size_t)size) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *len = buf ? (size_t)size : 0;
    return buf;
}

void ref_cache_put(const ref_cache_t *c, char *const argv[],
                   const unsigned char *bytes, size_t len)
{
    char path[PATH_MAX];
    if (!c->enabled || !c->results || c->read_only ||
        key_path(c, argv, 0, path, sizeof path))
        return;
    put_file(path, CACHE_MAGIC, sizeof CACHE_MAGIC, bytes, len);
}

int ref_cache_get_calib(const ref_cache_t *c, char *const argv[], ref_calib_t *cal)
{
    char path[PATH_MAX], text[128];
    if (!c->enabled || key_path(c, argv, 1, path, sizeof path))
        return 0;
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    double cpu;
    unsigned long long len;
    if (sscanf(text, CALIB_MAGIC " cpu_s %lf result_bytes %llu", &cpu, &len) != 2 ||
        !(cpu >= 0 && cpu < 1e6))
        return 0;
    cal->cpu_s = cpu;
    cal->result_len = (size_t)len;
    return 1;
}

void ref_cache_put_calib(const ref_cache_t *c, char *const argv[],
                         const ref_calib_t *cal)
{
    char path[PATH_MAX], text[128];
    if (!c->enabled || c->read_only || key_path(c, argv, 1, path, sizeof path))
        return;
    int n = snprintf(text, sizeof text, "cpu_s %.6f result_bytes %zu\n",
                     cal->cpu_s, cal->result_len);
    put_file(path, CALIB_MAGIC " ", sizeof CALIB_MAGIC, text, (size_t)n);
}

void ref_cache_hash_hex(char out[33], const void *p, size_t n)
{
    hash2_t h = { 0xcbf29ce484222325ull, 0x84222325cbf29ce4ull };
    hash2_bytes(&h, p, n);
    snprintf(out, 33, "%016llx%016llx", (unsigned long long)h.a,
             (unsigned long long)h.b);
}
