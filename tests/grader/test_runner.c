/* test_runner.c: the runner protocol end to end, on the release runner-ref:
 * arrays handed on the input pipe (as trained weights will be) come back
 * from runner.echo bit for bit, NaN, -Inf and a megabyte array included,
 * followed by a status document; bad arguments give exit 2 and a status
 * that says why. Frames are written and read here by hand from the
 * layout of grader/protocol.h, so the test does not trust that code. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <cjson/cJSON.h>

#include "grader_run.h"

#define RUNNER_REF "build/rel/bin/runner-ref"

/* 24-byte header: "VGR2", kind u32, name_len u32, reserved u32,
 * payload_len u64 (host order, as both sides run on one machine); then the
 * name NUL-padded to a multiple of 8 (at least one NUL) and the payload
 * zero-padded to a multiple of 8. */
static size_t pad8(size_t n)
{
    return (n + 7) & ~(size_t)7;
}

static void put_frame(FILE *f, uint32_t kind, const char *name, const void *p, uint64_t len)
{
    static const char zeros[8];
    uint32_t h[3] = { kind, (uint32_t)strlen(name), 0 };
    fwrite("VGR2", 1, 4, f);
    fwrite(h, sizeof h[0], 3, f);
    fwrite(&len, sizeof len, 1, f);
    fwrite(name, 1, strlen(name), f);
    fwrite(zeros, 1, pad8(strlen(name) + 1) - strlen(name), f);
    fwrite(p, 1, (size_t)len, f);
    fwrite(zeros, 1, pad8((size_t)len) - (size_t)len, f);
}

typedef struct frame {
    uint32_t kind;
    char name[64];
    unsigned char *payload;
    uint64_t len;
} frame_t;

/* Reads up to max frames of path; returns how many. */
static int get_frames(const char *path, frame_t *fr, int max)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f);
    int n = 0;
    char magic[4];
    uint32_t h[3];
    uint64_t len;
    while (n < max && fread(magic, 1, 4, f) == 4) {
        cr_assert(memcmp(magic, "VGR2", 4) == 0, "frame %d: bad magic", n);
        cr_assert_eq(fread(h, sizeof h[0], 3, f), 3);
        cr_assert_eq(fread(&len, sizeof len, 1, f), 1);
        size_t name_padded = pad8(h[1] + 1);
        cr_assert(name_padded <= sizeof fr[n].name);
        cr_assert_eq(fread(fr[n].name, 1, name_padded, f), name_padded);
        cr_assert_eq(fr[n].name[h[1]], '\0', "frame %d: the name's padding is NUL", n);
        fr[n].kind = h[0];
        fr[n].len = len;
        fr[n].payload = malloc(pad8((size_t)len) + 1);
        cr_assert_eq(fread(fr[n].payload, 1, pad8((size_t)len), f), pad8((size_t)len),
                     "frame %d: payload and its padding", n);
        fr[n].payload[len] = '\0';
        n++;
    }
    fclose(f);
    return n;
}

Test(grader_runner, echo_round_trip)
{
    graded_t g;
    grader_run(&g, "list");     /* a fresh directory */
    char in[400], out[400], cmd[1400];
    snprintf(in, sizeof in, "%s/in.bin", g.dir);
    snprintf(out, sizeof out, "%s/out.bin", g.dir);
    double small[5] = { 1.5, -0.0, NAN, -INFINITY, 4.9e-324 };
    size_t big_n = 1u << 17;    /* 1 MiB of doubles */
    double *big = malloc(big_n * sizeof *big);
    for (size_t i = 0; i < big_n; i++)
        big[i] = (double)i * 1e-3 - 7.0;
    FILE *f = fopen(in, "wb");
    put_frame(f, 1, "small", small, sizeof small);
    put_frame(f, 1, "weights", big, big_n * sizeof *big);
    fclose(f);
    snprintf(cmd, sizeof cmd, RUNNER_REF " --task runner.echo --seed 1 --role ref "
             "--result-fd 3 --input-fd 0 < %s 3> %s", in, out);
    int st = system(cmd);
    cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "runner-ref exit %d", WEXITSTATUS(st));
    frame_t fr[4];
    int n = get_frames(out, fr, 4);
    cr_assert_eq(n, 3, "two arrays and a status, got %d frames", n);
    cr_expect(fr[0].kind == 1 && strcmp(fr[0].name, "small") == 0);
    cr_expect(fr[0].len == sizeof small && memcmp(fr[0].payload, small, sizeof small) == 0,
              "small comes back bit for bit (NaN, -Inf, -0 and a subnormal)");
    cr_expect(fr[1].len == big_n * sizeof *big &&
              memcmp(fr[1].payload, big, big_n * sizeof *big) == 0, "weights bit for bit");
    cr_assert_eq(fr[2].kind, 3, "the last frame is the status");
    cJSON *status = cJSON_Parse((const char *)fr[2].payload);
    cr_assert_not_null(status);
    cr_expect(cJSON_IsTrue(cJSON_GetObjectItem(status, "ok")));
    cr_expect(cJSON_IsNull(cJSON_GetObjectItem(status, "not_implemented")));
    const cJSON *nf = cJSON_GetObjectItem(status, "nonfinite");
    cr_expect_eq(json_num(nf, "small"), 2, "NaN and -Inf counted");
    cr_expect_eq(json_num(nf, "weights"), 0);
    cJSON_Delete(status);
    for (int i = 0; i < n; i++)
        free(fr[i].payload);
    free(big);
    graded_free(&g);
}

Test(grader_runner, bad_arguments_say_why)
{
    graded_t g;
    grader_run(&g, "list");
    char out[400], cmd[1000];
    snprintf(out, sizeof out, "%s/out.bin", g.dir);
    snprintf(cmd, sizeof cmd, RUNNER_REF " --task no.such.task --seed 1 --result-fd 3 "
             "3> %s 2>/dev/null", out);
    int st = system(cmd);
    cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 2, "exit %d", WEXITSTATUS(st));
    frame_t fr[2];
    int n = get_frames(out, fr, 2);
    cr_assert_eq(n, 1);
    cJSON *status = cJSON_Parse((const char *)fr[0].payload);
    cr_expect(cJSON_IsFalse(cJSON_GetObjectItem(status, "ok")));
    cr_expect(strstr(json_str(status, "message"), "no.such.task") != NULL,
              "%s", json_str(status, "message"));
    cJSON_Delete(status);
    free(fr[0].payload);
    graded_free(&g);
}
