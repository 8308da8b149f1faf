# ---- cse599i-hw2's grader: runner-ref-cse599i-hw2 and what runner-sub links --
# (grader/README.md, "Adding an assignment", step 4; mk/sta414-a3-grade.mk
# is the model.) The driver's side, grader/cse599i-hw2/checks*.c, joins
# vaegrade through GRADER_ASSIGNMENTS (grader/sources.mk); everything else
# of grader/cse599i-hw2/ is the runner side: librunner-cse599i-hw2.a (its
# tasks, the fixture loader, the short run), weak_api-cse599i-hw2.o (a
# not-implemented stub of every API function) and lib/ref-cse599i-hw2/kl.o
# (the reference's kl.c, linked under elbo.c, importance.c and flow.c,
# which may call it), and runner-ref-cse599i-hw2 (the tasks linked with the
# whole reference). Objects of grader/cse599i-hw2/ see the assignment's
# assignment.h (-iquote). This file sorts before mk/cse599i-hw2.mk (the
# reference's and the stubs' rules), so it names what it needs itself.
CSEG := cse599i-hw2
CSEG_IQUOTE := -iquote include/$(CSEG)
$(BUILD)/rel/obj/grader/$(CSEG)/%.o: REL_CFLAGS += $(CSEG_IQUOTE)
$(BUILD)/asan/obj/grader/$(CSEG)/%.o: ASAN_CFLAGS += $(CSEG_IQUOTE)

CSEG_TASKS_LIB := $(GLIB)/librunner-$(CSEG).a
CSEG_WEAK_OBJ := $(GLIB)/weak_api-$(CSEG).o
CSEG_REF_BASE := $(GLIB)/ref-$(CSEG)/kl.o
CSEG_REF_OBJS := $(patsubst %,$(BUILD)/rel/obj/reference/$(CSEG)/%.o,kl elbo importance flow)
CSEG_RUNNER_REF := $(BIN)/runner-ref-$(CSEG)

$(CSEG_TASKS_LIB): $(patsubst %.c,$(BUILD)/rel/obj/%.o,$(call runner_tasks_src,$(CSEG)))
$(CSEG_WEAK_OBJ): $(BUILD)/rel/obj/grader/$(CSEG)/weak_api.o
	@mkdir -p $(@D)
	cp $< $@
$(CSEG_REF_BASE): $(BUILD)/rel/obj/reference/$(CSEG)/kl.o
	@mkdir -p $(@D)
	rm -f $(@D)/*.o && cp $< $@
$(CSEG_RUNNER_REF): $(CSEG_REF_OBJS) $(CSEG_WEAK_OBJ) $(CSEG_TASKS_LIB) $(RUNNER_LIB) $(call LIB_ORDER,rel)
	@mkdir -p $(@D)
	$(CC) $(REL_CFLAGS) $(CSEG_REF_OBJS) $(CSEG_WEAK_OBJ) -Wl,--start-group $(CSEG_TASKS_LIB) \
	  $(RUNNER_LIB) -Wl,--end-group $(call LIB_ORDER,rel) $(LDLIBS_CORE) $(LIBS_SANDBOX) -o $@

CSEG_PROGRAMS := $(CSEG_RUNNER_REF) $(CSEG_TASKS_LIB) $(CSEG_WEAK_OBJ) $(CSEG_REF_BASE)
GRADER_PROGRAMS += $(CSEG_PROGRAMS)
all: $(CSEG_PROGRAMS)
test-build: $(CSEG_PROGRAMS)
grade: $(CSEG_PROGRAMS)
# The grader suite's mutants of this assignment are patches of its
# reference (tests/grader/mutants/cse_*.patch): remake them when it moves.
$(BUILD)/submissions/.made: $(wildcard reference/$(CSEG)/*.c)

# ---- 4.8's thresholds: make fixtures-thresholds-cse599i-hw2 -------------------
# cse599i-hw2-spread runs the short training run of the IAF VAE
# (short_run.h) with the reference's iaf_elbo over CSE_SPREAD_SEEDS seeds
# and scores each as runner-ref does, and writes the means and standard
# deviations to fixtures/cse599i-hw2/thresholds.json, from which 4.8
# builds its one-sided prediction bounds.
CSE_SPREAD_SEEDS ?= 20
CSEG_SPREAD := $(BIN)/cse599i-hw2-spread
$(BUILD)/rel/obj/grader/$(CSEG)/tools/%.o: REL_CFLAGS += $(CSEG_IQUOTE)
$(CSEG_SPREAD): $(BUILD)/rel/obj/grader/$(CSEG)/tools/spread.o \
    $(BUILD)/rel/obj/grader/$(CSEG)/short_run.o $(CSEG_REF_OBJS) $(call LIB_ORDER,rel)
	@mkdir -p $(@D)
	$(CC) $(REL_CFLAGS) $^ $(LDLIBS_CORE) -o $@
all: $(CSEG_SPREAD)
.PHONY: fixtures-thresholds-$(CSEG)
fixtures-thresholds-$(CSEG): $(CSEG_SPREAD)
	@mkdir -p fixtures/$(CSEG)
	OPENBLAS_NUM_THREADS=1 $(CSEG_SPREAD) --seeds $(CSE_SPREAD_SEEDS) \
	  --data fixtures/mnist-full > fixtures/$(CSEG)/thresholds.json.tmp
	mv fixtures/$(CSEG)/thresholds.json.tmp fixtures/$(CSEG)/thresholds.json
	$(MAKE) --no-print-directory fixtures-manifest

# `make grade[-reference] ASSIGNMENT=cse599i-hw2` checks the name against
# ASSIGNMENTS; mk/cse599i-hw2-train.mk (h-csetrain) adds it the same
# idempotent way.
ASSIGNMENTS += $(filter-out $(ASSIGNMENTS),$(CSEG))
