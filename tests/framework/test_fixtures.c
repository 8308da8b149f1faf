/* test_fixtures.c: fixtures/MANIFEST.sha256 holds every file under
 * fixtures/ and every listed SHA-256 matches (checked by sha256sum itself).
 * Runs from the repository root, as every suite does. */
#include <criterion/criterion.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#define MANIFEST "fixtures/MANIFEST.sha256"
#define MAX_FILES 4096

Test(fixtures, manifest_hashes_match)
{
    int st = system("cd fixtures && sha256sum --check --strict --quiet "
                    "MANIFEST.sha256");
    cr_assert(st != -1 && WIFEXITED(st), "could not run sha256sum");
    cr_assert(WEXITSTATUS(st) == 0,
              "fixtures/MANIFEST.sha256 does not verify (exit %d): a fixture "
              "changed; regenerate it or run `make fixtures-manifest`",
              WEXITSTATUS(st));
}

/* The manifest's paths, one per line after "<64 hex>  ". */
static char *listed[MAX_FILES];
static size_t n_listed;
static char *unlisted[MAX_FILES];
static size_t n_unlisted;

static int is_listed(const char *rel)
{
    for (size_t i = 0; i < n_listed; i++)
        if (strcmp(listed[i], rel) == 0)
            return 1;
    return 0;
}

static int visit(const char *path, const struct stat *st, int flag,
                 struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    if (flag != FTW_F)
        return 0;
    const char *rel = path + strlen("fixtures/");
    if (strcmp(rel, "MANIFEST.sha256") != 0 && !is_listed(rel) &&
        n_unlisted < MAX_FILES)
        unlisted[n_unlisted++] = strdup(rel);
    return 0;
}

Test(fixtures, every_file_is_listed)
{
    FILE *f = fopen(MANIFEST, "r");
    cr_assert(f != NULL, "cannot open %s (run from the repository root)",
              MANIFEST);
    char line[4096];
    size_t lineno = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        size_t len = strcspn(line, "\n");
        line[len] = '\0';
        cr_assert(len > 66 && strspn(line, "0123456789abcdef") == 64 &&
                  line[64] == ' ' && line[65] == ' ',
                  "%s:%zu is not `<sha256>  <path>`: %s", MANIFEST, lineno,
                  line);
        cr_assert(n_listed < MAX_FILES);
        listed[n_listed++] = strdup(line + 66);
    }
    fclose(f);
    cr_assert(n_listed > 0, "%s is empty", MANIFEST);

    cr_assert(nftw("fixtures", visit, 16, FTW_PHYS) == 0);
    cr_assert(n_unlisted == 0,
              "%zu file(s) under fixtures/ missing from the manifest, first: "
              "%s (run `make fixtures-manifest`)", n_unlisted,
              n_unlisted ? unlisted[0] : "");
    for (size_t i = 0; i < n_listed; i++)
        free(listed[i]);
    n_listed = 0;
}
