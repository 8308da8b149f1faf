/* lsan_suppressions.c: the leaks LeakSanitizer must not report in the test
 * suites, linked into every suite so that any suite that draws a figure
 * (plot.h) gets them. Each is a library's, not this project's:
 *
 * - libfontconfig: PLplot's cairo driver draws text through pango, which
 *   loads fontconfig's configuration and font cache once per process and
 *   never frees them. plot_canvas_close's plend() unloads the driver (and
 *   with it fontconfig, which nothing else in a test links), so each figure
 *   leaves about 20 KB behind (measured: 35 KB after the two figures of
 *   plot/lines_have_the_size_and_each_series_colour).
 * - libltdl: PLplot loads its drivers with libltdl; lt_dlexit() leaves 88
 *   bytes per plend() (one per figure).
 *
 * Both stacks end in the library's own allocation (ASan's fast unwinder
 * stops at Debian's frame-pointer-less libraries), so the patterns name
 * the library; no leak of this project's code goes through either. */

const char *__lsan_default_suppressions(void);
const char *__lsan_default_options(void);

/* Without this LSan lists the suppressed leaks after every test. */
const char *__lsan_default_options(void)
{
    return "print_suppressions=0";
}

const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n"
           "leak:libltdl.so\n";
}
