# grader/sources.mk: which of grader/'s sources make which program, by
# folder and file-name pattern. Included by the Makefile and by the student
# release's Makefile (release/Makefile ships grader/ whole), so both build
# the same lists (grader/README.md, "Layout").
#
# - the driver, vaegrade: the concern folders below, plus every
#   assignment's catalogue entries (grader/<assignment>/checks*.c);
# - the runner core, librunner.a: grader/runner/*.c;
# - an assignment's runner tasks, librunner-<assignment>.a: every other .c
#   of its folder but weak_api.c (its not-implemented stubs, an object of
#   their own) and eval_tasks.c (runner-eval's lookup, mk/refdata.mk).
# numcheck/ is libnumcheck.a, which the driver, the runners and the tests
# link. An assignment that borrows another's catalogue (sysu-hw4) has no
# folder here: its profile and descriptor (main/assignments.c) say it all.
GRADER_ASSIGNMENTS := cs236-hw2 sta414-a3
GRADER_ASSIGNMENTS += cse599i-hw2
GRADER_DRIVER_DIRS := main driver sandbox report batch version container
GRADER_SRC := $(sort $(wildcard $(GRADER_DRIVER_DIRS:%=grader/%/*.c)) \
    $(foreach a,$(GRADER_ASSIGNMENTS),$(wildcard grader/$(a)/checks*.c)))
RUNNER_SRC := $(sort $(wildcard grader/runner/*.c))
# The runners' wire format, which the driver reads.
GRADER_SRC += grader/runner/protocol.c
runner_tasks_src = $(filter-out grader/$(1)/checks% grader/$(1)/weak_api.c \
    grader/$(1)/eval_tasks.c,$(sort $(wildcard grader/$(1)/*.c)))
# stats305c-hw6 (Stanford STATS 305C HW6), appended as its own block so
# that the assignments' branches merge without touching one line.
GRADER_ASSIGNMENTS += stats305c-hw6
GRADER_SRC += $(sort $(wildcard grader/stats305c-hw6/checks*.c))
