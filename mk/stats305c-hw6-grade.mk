# ---- stats305c-hw6's grader: runner-ref-stats305c-hw6 and what runner-sub links
# (grader/README.md, "Adding an assignment", step 4; mk/sta414-a3-grade.mk
# is the model.) The driver's side, grader/stats305c-hw6/checks*.c, joins
# vaegrade through GRADER_ASSIGNMENTS (grader/sources.mk); everything else
# of grader/stats305c-hw6/ is the runner side: librunner-stats305c-hw6.a
# (its tasks, the fixture, problem 2's training and problem 3's short run
# as the grader runs them), weak_api-stats305c-hw6.o (a not-implemented
# stub of every API function), lib/ref-stats305c-hw6/bce.o (the
# reference's bce.c and vae_terms.c as weak definitions, linked under
# every file but the base bce.c: grader/stats305c-hw6/deps/deps.c says
# why and how) and
# runner-ref-stats305c-hw6 (the tasks linked with the whole reference).
# Objects of grader/stats305c-hw6/ see its assignment.h (-iquote).
# (This file sorts before mk/stats305c-hw6.mk, so it names what it needs
# of that file itself rather than reading its variables.)
S305G := stats305c-hw6
S305G_IQUOTE := -iquote include/$(S305G)
$(BUILD)/rel/obj/grader/$(S305G)/%.o: REL_CFLAGS += $(S305G_IQUOTE)
$(BUILD)/asan/obj/grader/$(S305G)/%.o: ASAN_CFLAGS += $(S305G_IQUOTE)

# The API's files (include/stats305c-hw6/assignment.h) and its base file
# (driver/api.c), whose "reference object" is deps.o.
S305G_FILES := optim bce classifier vae_terms vae_elbo
S305G_BASE := bce
S305G_TASKS_LIB := $(GLIB)/librunner-$(S305G).a
S305G_WEAK_OBJ := $(GLIB)/weak_api-$(S305G).o
S305G_REF_BASE := $(GLIB)/ref-$(S305G)/$(S305G_BASE).o
S305G_REF_OBJS := $(patsubst %,$(BUILD)/rel/obj/reference/$(S305G)/%.o,$(S305G_FILES))
S305G_RUNNER_REF := $(BIN)/runner-ref-$(S305G)

$(S305G_TASKS_LIB): $(patsubst %.c,$(BUILD)/rel/obj/%.o,$(call runner_tasks_src,$(S305G)))
$(S305G_WEAK_OBJ): $(BUILD)/rel/obj/grader/$(S305G)/weak_api.o
	@mkdir -p $(@D)
	cp $< $@
$(S305G_REF_BASE): $(BUILD)/rel/obj/grader/$(S305G)/deps/deps.o
	@mkdir -p $(@D)
	rm -f $(@D)/*.o && cp $< $@
$(S305G_RUNNER_REF): $(S305G_REF_OBJS) $(S305G_WEAK_OBJ) $(S305G_TASKS_LIB) $(RUNNER_LIB) $(call LIB_ORDER,rel)
	@mkdir -p $(@D)
	$(CC) $(REL_CFLAGS) $(S305G_REF_OBJS) $(S305G_WEAK_OBJ) -Wl,--start-group $(S305G_TASKS_LIB) \
	  $(RUNNER_LIB) -Wl,--end-group $(call LIB_ORDER,rel) $(LDLIBS_CORE) $(LIBS_SANDBOX) -o $@

S305G_PROGRAMS := $(S305G_RUNNER_REF) $(S305G_TASKS_LIB) $(S305G_WEAK_OBJ) $(S305G_REF_BASE)
GRADER_PROGRAMS += $(S305G_PROGRAMS)
all: $(S305G_PROGRAMS)
test-build: $(S305G_PROGRAMS)
grade: $(S305G_PROGRAMS)

# ---- the thresholds: make fixtures-thresholds-stats305c-hw6 -----------------
# stats305c-hw6-spread runs problem 2's training (cls_run.h) over 1,000
# seeds (its --cls-seeds: a run takes milliseconds, and the accuracy's
# tail needs them) and problem 3's short run (short_run.h) over
# S305_SPREAD_SEEDS seeds, both with the reference, and writes their
# values, means and standard deviations to
# fixtures/stats305c-hw6/thresholds.json, from which the checks 2.5 and
# 3.8 build their bounds (about 3 minutes of one core; deterministic: a
# rerun writes the same file).
S305_SPREAD_SEEDS ?= 20
S305G_SPREAD := $(BIN)/stats305c-hw6-spread
$(S305G_SPREAD): $(BUILD)/rel/obj/grader/$(S305G)/tools/spread.o \
    $(BUILD)/rel/obj/grader/runner/vae_short_run.o $(S305G_REF_OBJS) $(call LIB_ORDER,rel)
	@mkdir -p $(@D)
	$(CC) $(REL_CFLAGS) $^ $(LDLIBS_CORE) -o $@
all: $(S305G_SPREAD)
.PHONY: fixtures-thresholds-$(S305G)
fixtures-thresholds-$(S305G): $(S305G_SPREAD)
	@mkdir -p fixtures/$(S305G)
	OPENBLAS_NUM_THREADS=1 $(S305G_SPREAD) --seeds $(S305_SPREAD_SEEDS) \
	  --data fixtures/mnist-full > fixtures/$(S305G)/thresholds.json.tmp
	mv fixtures/$(S305G)/thresholds.json.tmp fixtures/$(S305G)/thresholds.json
	$(MAKE) --no-print-directory fixtures-manifest

# The grader suite's s305_* mutants are patches of these files
# (tools/make_submissions.sh lays them out whole).
$(BUILD)/submissions/.made: $(wildcard reference/$(S305G)/*.c)
